// Builds the CLI: dist/sigil.mjs and dist/sigil.cjs, each one file (a small loader and the
// esbuild bundle of src/; the same program as an ES module and as CommonJS), each with its
// <file>.cache: the V8 code cache of a real verification run. With the cache, Node
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
const programs = [join(dist, 'sigil.mjs'), join(dist, 'sigil.cjs')];

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'test') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-stale') && programs.every((path) => existsSync(path))) {
  const sources = Math.max(newestSource(join(repo, 'packages')), newestSource(join(repo, 'apps/ci/src')), newestSource(join(here, 'src')), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  if (sources < Math.min(...programs.map((path) => statSync(path).mtimeMs))) process.exit(0);
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
rmSync(join(dist, 'sigil.bundle.cjs'), { force: true }); // the second file of earlier builds
// The same program as an ES module (sigil.mjs) and as CommonJS (sigil.cjs, the package's bin:
// Node starts a CommonJS entry about 5 ms sooner than an ES module). Each is one file; each
// file is replaced whole (tests run the CLI while others rebuild it).
for (const [file, format] of [['sigil.mjs', 'esm'], ['sigil.cjs', 'cjs']]) {
  const path = join(dist, file);
  rmSync(`${path}.cache`, { force: true });
  writeAtomically(path, program(source, format));
  makeCodeCache(path);
}

/**
 * One file: a small loader, then the CommonJS bundle as line comments, which the parser skips
 * quickly (as a string literal the bundle cost ~5 ms more to parse at every start; a block
 * comment cannot hold it, since minified code holds "*\/"). The loader reads its own file,
 * takes the bundle from a fixed offset, strips the "//" it put before each line and compiles
 * it through node:vm with the code cache beside it (`<file>.cache`), when there is one.
 */
function program(bundle, format) {
  // Only "\n" may end a line of the bundle: the parser must see every line as a comment.
  if (/[^\x00-\x7f]|\r/.test(bundle)) throw new Error('sigil build: the bundle must be ASCII with \\n line ends (esbuild charset ascii)');
  const comment = `//${bundle.replaceAll('\n', '\n//')}\n`;
  const imports =
    format === 'esm'
      ? `import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { fileURLToPath } from 'node:url';
const filename = fileURLToPath(import.meta.url);
const load = createRequire(import.meta.url);`
      : `'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');
const filename = __filename;
const load = require;`;
  const head = (offset) => `#!/usr/bin/env node
// sigil: built by apps/cli/build.mjs. The program is the CommonJS bundle below, compiled with a V8 code cache.
${imports}
const bundle = readFileSync(filename, 'latin1').slice(${offset} + 2, -1).replaceAll('\\n//', '\\n');
const source = '(function (exports, require, module, __filename, __dirname) {' + bundle + '\\n})';
let cachedData;
try {
  cachedData = readFileSync(filename + '.cache');
} catch {
  // no cache beside this file: compile from source
}
const script = new Script(source, { filename, cachedData });
if (process.env.SIGIL_CODE_CACHE_OUT) process.once('exit', () => writeFileSync(process.env.SIGIL_CODE_CACHE_OUT, script.createCachedData()));
const program = { exports: {} };
script.runInThisContext()(program.exports, load, program, filename, filename);
`;
  // The offset is written with a fixed width, so that writing it does not move the bundle.
  const offset = head('0'.repeat(10)).length;
  return head(String(offset).padStart(10, ' ')) + comment;
}

/** Runs the fresh build once on the example bundle; it writes the code cache it compiled. */
function makeCodeCache(program) {
  const cacheFile = `${program}.cache`;
  const example = join(repo, 'examples/rfc8785-wheel');
  const run = spawnSync(
    process.execPath,
    [
      program,
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
