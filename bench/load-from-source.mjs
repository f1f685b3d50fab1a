// Benchmarks import Sigil from source: bundle a TypeScript entry with esbuild (workspace
// imports resolved through the root tsconfig paths) and import the result.
import { build } from 'esbuild';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function loadFromSource(entry) {
  const outfile = join(dirname(entry), '.build', `${basename(entry, '.ts')}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    tsconfig: join(repo, 'tsconfig.json'),
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  });
  return import(outfile);
}
