// Builds the CLI: dist/sigil.mjs (a small loader), dist/sigil.bundle.cjs (the esbuild bundle of
// src/) and dist/sigil.mjs.cache: the V8 code cache of a real verification run. With the cache, Node
// starts sigil without compiling it (about 20 ms of a cold start); without it, or where it
// does not fit the running V8, sigil.mjs compiles its source as usual and works the same.
// With --if-stale, rebuilds only when a source file is newer than the output.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
const dist = join(here, 'dist');
const outfile = join(dist, 'sigil.mjs');
const BUNDLE_FILE = 'sigil.bundle.cjs';

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
  const sources = Math.max(newestSource(join(repo, 'packages')), newestSource(join(repo, 'apps/ci/src')), newestSource(join(here, 'src')), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  if (sources < statSync(outfile).mtimeMs) process.exit(0);
}

const result = await build({
  entryPoints: [join(here, 'src/bin.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The bundle runs as a vm.Script (for its code cache), where import() has no loader: lazy
  // imports of built-ins (node:https, node:zlib, ...) become lazy require() calls instead.
  supported: { 'dynamic-import': false },
  minify: true,
  legalComments: 'none',
  tsconfig: join(repo, 'tsconfig.json'),
  write: false,
  outfile: join(dist, 'sigil.cjs'),
  logLevel: 'warning',
});
const source = result.outputFiles[0].text;

mkdirSync(dist, { recursive: true });
const cacheFile = `${outfile}.cache`;
rmSync(cacheFile, { force: true });
// Each file replaced whole (tests run the CLI while others rebuild it).
writeAtomically(join(dist, BUNDLE_FILE), source);
writeAtomically(outfile, loader());
makeCodeCache(cacheFile);

/**
 * The program: the bundle read from beside the loader and compiled through node:vm with the
 * cache when present. (Kept out of the loader: an ES module holding the bundle as a string
 * literal costs ~5 ms more to parse at every start.)
 */
function loader() {
  return `#!/usr/bin/env node
// sigil: built by apps/cli/build.mjs. Runs ${BUNDLE_FILE}, compiled with a V8 code cache.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { fileURLToPath } from 'node:url';
const filename = fileURLToPath(import.meta.url);
const source = '(function (exports, require, module, __filename, __dirname) {' + readFileSync(new URL('./${BUNDLE_FILE}', import.meta.url), 'utf8') + '\\n})';
let cachedData;
try {
  cachedData = readFileSync(filename + '.cache');
} catch {
  // no cache beside this file: compile from source
}
const script = new Script(source, { filename, cachedData });
if (process.env.SIGIL_CODE_CACHE_OUT) process.once('exit', () => writeFileSync(process.env.SIGIL_CODE_CACHE_OUT, script.createCachedData()));
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(import.meta.url), module, filename, filename);
`;
}

/** Runs the fresh build once on the example bundle; it writes the code cache it compiled. */
function makeCodeCache(cacheFile) {
  const example = join(repo, 'examples/rfc8785-wheel');
  const run = spawnSync(
    process.execPath,
    [
      outfile,
      'verify-blob',
      join(example, 'rfc8785-0.1.2-py3-none-any.whl'),
      '--bundle',
      join(example, 'rfc8785-0.1.2-py3-none-any.whl.sigstore.json'),
      '--certificate-identity',
      'https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      '--output',
      'json',
    ],
    { encoding: 'utf8', env: { ...process.env, SIGIL_CODE_CACHE_OUT: cacheFile } },
  );
  if (run.status !== 0 || !existsSync(cacheFile)) {
    console.warn(`sigil build: no code cache (${run.stderr.trim()}); the CLI works, it only starts slower`);
  }
}

function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
