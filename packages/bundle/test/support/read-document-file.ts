// Run in a child process (bundled by the test): reads one file as a bundle or a trusted root,
// as the CLI does, and prints the outcome and the process's peak resident set.
import { readFileSync } from 'node:fs';
import { parseBundle, parseTrustedRoot } from '@sigil/bundle';

const [kind, path] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(path!));
let outcome: Record<string, unknown>;
try {
  if (kind === 'bundle') parseBundle(bytes);
  else parseTrustedRoot(bytes);
  outcome = { accepted: true };
} catch (err) {
  outcome = { code: (err as { code?: string }).code, message: (err as Error).message };
}
process.stdout.write(JSON.stringify({ ...outcome, peakRss: process.resourceUsage().maxRSS * 1024 }));
