// Bundles the CLI into one file, dist/sigil.mjs. With --if-stale, rebuilds only when a
// source file is newer than the bundle (so `pnpm sigil` stays fast).
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const outfile = join(here, 'dist/sigil.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'test') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(outfile)) {
  const sources = Math.max(newestSource(join(repo, 'packages')), newestSource(join(here, 'src')));
  if (sources < statSync(outfile).mtimeMs) process.exit(0);
}

await build({
  entryPoints: [join(here, 'src/bin.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  tsconfig: join(repo, 'tsconfig.json'),
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __sigilCreateRequire } from 'node:module'; const require = __sigilCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
