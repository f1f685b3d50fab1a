// Run by tests in a child process (bundled by esbuild): one refreshTuf at a fixed clock, its
// outcome as one JSON line. Argument: {cacheRoot, mirror, root?, now}.
import { readFileSync } from 'node:fs';
import { refreshTuf } from '@sigil/tuf';

const { cacheRoot, mirror, root, now } = JSON.parse(process.argv[2]!) as { cacheRoot: string; mirror: string; root?: string; now: string };
const fixed = Date.parse(now);
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(fixed);
    else super(...(args as [string]));
  }
  static override now(): number {
    return fixed;
  }
} as DateConstructor;

try {
  const result = await refreshTuf({ cacheRoot, mirror, root: root === undefined ? undefined : readFileSync(root), retries: 0 });
  process.stdout.write(`${JSON.stringify({ committed: result.committed, versions: result.after.versions })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ code: (err as { code?: string }).code, message: String(err) })}\n`);
  process.exitCode = 1;
}
