// Bundles the stack's command (`pnpm -s stack ...`) into dist/stack.mjs, and beside it the
// signature-check thread's module (dist/signature-thread.mjs, which the bundle starts threads
// from). With --if-stale, only when a source file is newer than the bundle.
import { bundleForNode, STACK_SIGNATURE_THREAD } from '../../scripts/bundle-for-node.mjs';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const outfile = join(here, 'dist/stack.mjs');
const threadFile = join(here, 'dist/signature-thread.mjs');

function newest(dir) {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'test'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

if (process.argv.includes('--if-stale') && existsSync(outfile) && existsSync(threadFile)) {
  if (Math.max(newest(join(repo, 'packages')), newest(join(here, 'src'))) < statSync(outfile).mtimeMs) process.exit(0);
}

await bundleForNode({ stack: join(here, 'src/stack/bin.ts'), 'signature-thread': STACK_SIGNATURE_THREAD }, join(here, 'dist'));
