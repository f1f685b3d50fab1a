// Builds the CLI: dist/sigil.mjs and dist/sigil.cjs, each one file (a small loader and the
// esbuild bundle of src/; the same program as an ES module and as CommonJS), each with its
// <file>.cache: the V8 code cache of a real verification run. With the cache, Node
// starts sigil without compiling it (about 20 ms of a cold start); without it, or where it
// does not fit the running V8, sigil.mjs compiles its source as usual and works the same.
// With --if-stale, rebuilds only when a source file is newer than the output.
import { build } from 'esbuild';
import { deferModules } from './deferred-modules.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
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
  const sources = Math.max(newestSource(join(repo, 'packages')), newestSource(join(repo, 'apps/ci/src')), newestSource(join(here, 'src')), statSync(fileURLToPath(import.meta.url)).mtimeMs, statSync(join(here, 'deferred-modules.mjs')).mtimeMs);
  if (sources < Math.min(...programs.map((path) => statSync(path).mtimeMs))) process.exit(0);
}

// The offline verification commands, and the modules of src/commands/ they need. A run of one
// of them compiles a bundle of only these (a third of the whole): ~6 ms less to load.
const VERIFY_COMMANDS = ['verify-blob', 'verify-blob-attestation', 'verify-bundle'];
const VERIFY_MODULES = new Set([...VERIFY_COMMANDS, 'run-verification', 'verify-options']);

// Evaluated at their first use (deferred-modules.mjs), not at every start: re2js builds its
// Unicode tables (only identity patterns need it), TUF's models only read a cache that may not
// be there, and the HTTP client and GitLab API only serve keys and lookups named on the
// command line. Together about 5 ms of `verify-blob`'s start.
const DEFERRED_MODULES = ['re2js', '@tufjs/models', 'tuf-js', '@sigil/http-client', '@sigil/ci'];

const full = await bundle();
const verifyOnly = await bundle(stubOtherCommands());

mkdirSync(dist, { recursive: true });
rmSync(join(dist, 'sigil.bundle.cjs'), { force: true }); // the second file of earlier builds
// The same program as an ES module (sigil.mjs) and as CommonJS (sigil.cjs, the package's bin:
// Node starts a CommonJS entry about 5 ms sooner than an ES module). Each is one file; each
// file is replaced whole (tests run the CLI while others rebuild it).
for (const [file, format] of [['sigil.mjs', 'esm'], ['sigil.cjs', 'cjs']]) {
  const path = join(dist, file);
  rmSync(`${path}.cache`, { force: true });
  writeAtomically(path, program(verifyOnly, full, format));
  makeCodeCache(path);
}

function bundle(plugin) {
  return build({
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
    plugins: [deferModules(DEFERRED_MODULES), ...(plugin ? [plugin] : [])],
  }).then((result) => result.outputFiles[0].text);
}

/**
 * For the verification bundle: every other module of src/commands/ becomes a stub with the
 * same exports, which throw if ever run (the loader never routes another command there).
 */
function stubOtherCommands() {
  const commands = join(here, 'src/commands');
  return {
    name: 'stub-other-commands',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const name = args.path.startsWith(`${commands}/`) ? args.path.slice(commands.length + 1, -3) : undefined;
        if (name === undefined || name.includes('/') || VERIFY_MODULES.has(name)) return undefined;
        const exported = [...readFileSync(args.path, 'utf8').matchAll(/^export (const|function) (\w+)/gm)];
        const fail = `() => { throw new Error('sigil: ${name} is not in the verification bundle'); }`;
        return {
          loader: 'js',
          contents: exported.map(([, kind, id]) => (kind === 'const' ? `export const ${id} = { name: '', summary: '', usage: '', options: {}, run: ${fail} };` : `export const ${id} = ${fail};`)).join('\n'),
        };
      });
    },
  };
}

/**
 * One file: a small loader, then two CommonJS bundles, each as the line comments of a function
 * (the parser skips comments quickly, and the function's text gives them back without reading
 * the file again): the verification commands alone, as they are, then everything, compressed.
 * Node reads and scans the whole file at every start (about 5 ms a megabyte here), so the full
 * bundle, a 1.8 MB text, is kept as 0.6 MB of base64 brotli, which takes about as long to
 * inflate for the commands that need it as it saves in reading. A bundle cannot be a string
 * literal (about 5 ms more to parse) nor a block comment (minified code holds "*\/").
 * The chosen bundle is compiled through node:vm with its part of the code cache beside the file
 * (`<file>.cache`: a 4-byte length, the verification bundle's cache, the full bundle's), when
 * there is one.
 */
function program(verifyBundle, fullBundle, format) {
  const comment = (text) => {
    // Only "\n" may end a line of a bundle: the parser must see every line as a comment.
    if (/[^\x00-\x7f]|\r/.test(text)) throw new Error('sigil build: a bundle must be ASCII with \\n line ends (esbuild charset ascii)');
    return `//${text.replaceAll('\n', '\n//')}\n`;
  };
  const compressed = brotliCompressSync(fullBundle, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: fullBundle.length } }).toString('base64');
  const imports =
    format === 'esm'
      ? `import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { fileURLToPath } from 'node:url';
const filename = fileURLToPath(import.meta.url);
const load = createRequire(import.meta.url);`
      : `'use strict';
const { closeSync, fstatSync, openSync, readSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');
const filename = __filename;
const load = require;`;
  return `#!/usr/bin/env node
// sigil: built by apps/cli/build.mjs. The program is a CommonJS bundle below, compiled with a V8 code cache.
${imports}
const verifying = ${JSON.stringify(VERIFY_COMMANDS)}.includes(process.argv[2]);
/** The comment lines of a function below, without their "//". */
function commented(holder) {
  const text = holder.toString();
  return text.slice(text.indexOf('\\n') + 3, text.lastIndexOf('\\n')).replaceAll('\\n//', '\\n');
}
const bundle = verifying ? commented(verificationBundle) : load('node:zlib').brotliDecompressSync(Buffer.from(commented(fullBundleBrotli), 'base64')).toString('latin1');
const source = '(function (exports, require, module, __filename, __dirname) {' + bundle + '\\n})';
let cachedData;
try {
  // Only this bundle's part of the cache is read (the other is as large).
  const fd = openSync(filename + '.cache', 'r');
  try {
    const lengths = Buffer.alloc(4);
    readSync(fd, lengths, 0, 4, 0);
    const verifyLength = lengths.readUInt32LE(0);
    const [at, length] = verifying ? [4, verifyLength] : [4 + verifyLength, fstatSync(fd).size - 4 - verifyLength];
    const part = Buffer.allocUnsafe(length);
    if (readSync(fd, part, 0, length, at) === length) cachedData = part;
  } finally {
    closeSync(fd);
  }
} catch {
  // no cache beside this file: compile from source
}
const script = new Script(source, { filename, cachedData });
if (process.env.SIGIL_CODE_CACHE_OUT) process.once('exit', () => writeFileSync(process.env.SIGIL_CODE_CACHE_OUT, script.createCachedData()));
const program = { exports: {} };
script.runInThisContext()(program.exports, load, program, filename, filename);

function verificationBundle() {
${comment(verifyBundle)}}
function fullBundleBrotli() {
${comment(compressed)}}
`;
}

/**
 * Runs the fresh build twice, verifying the example bundle (the verification bundle) and
 * inspecting it (the full one); each run writes the code cache it compiled, and the two are
 * kept together in `<program>.cache`.
 */
function makeCodeCache(program) {
  const example = join(repo, 'examples/rfc8785-wheel');
  const bundleFile = join(example, 'rfc8785-0.1.2-py3-none-any.whl.sigstore.json');
  const runs = [
    [
      'verify-blob',
      join(example, 'rfc8785-0.1.2-py3-none-any.whl'),
      '--bundle',
      bundleFile,
      '--certificate-identity',
      'https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      '--output',
      'json',
    ],
    ['inspect', bundleFile, '--output', 'json'],
  ];
  const caches = [];
  for (const args of runs) {
    const out = `${program}.${process.pid}.part`;
    const run = spawnSync(process.execPath, [program, ...args], { encoding: 'utf8', env: { ...process.env, SIGIL_CODE_CACHE_OUT: out } });
    if (run.status !== 0 || !existsSync(out)) {
      rmSync(out, { force: true });
      console.warn(`sigil build: no code cache (${args[0]}: ${run.stderr.trim()}); the CLI works, it only starts slower`);
      return;
    }
    caches.push(readFileSync(out));
    rmSync(out);
  }
  const length = Buffer.alloc(4);
  length.writeUInt32LE(caches[0].length);
  writeAtomically(`${program}.cache`, Buffer.concat([length, ...caches]));
}

function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
