// Bundles the stack's command (`pnpm -s stack ...`) into dist/stack.mjs. With --if-stale, only
// when a source file is newer than the bundle.
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const outfile = join(here, 'dist/stack.mjs');

function newest(dir) {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'test'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

if (process.argv.includes('--if-stale') && existsSync(outfile)) {
  if (Math.max(newest(join(repo, 'packages')), newest(join(here, 'src'))) < statSync(outfile).mtimeMs) process.exit(0);
}

await build({
  entryPoints: [join(here, 'src/stack/bin.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  tsconfig: join(repo, 'tsconfig.json'),
  banner: { js: "import { createRequire as __stackRequire } from 'node:module'; const require = __stackRequire(import.meta.url);" },
});
