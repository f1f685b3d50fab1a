// Builds the CLI: dist/sigil.mjs and dist/sigil.cjs, each one file (build/one-file.mjs: a small
// loader, the verification bundle, the full bundle and the third-party chunks; the same program
// as an ES module and as CommonJS), and beside each the same <file>.cache: the V8 code cache of
// a verify-blob and an inspect run. With the cache, Node starts sigil without compiling it
// (about 20 ms of a cold start); without it, or where it does not fit the running V8, the
// bundles compile from source and work the same.
// With --if-stale, rebuilds only when a source file is newer than the output.
import { build } from 'esbuild';
import { buildChunks, CHUNK_PACKAGES, isChunked } from './build/chunks.mjs';
import { deferModules } from './build/deferred-modules.mjs';
import { leaveOut } from './build/left-out.mjs';
import { oneFilePrograms } from './build/one-file.mjs';
import { SCRIPT_BUNDLE } from './build/script-bundle.mjs';
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
  const sources = Math.max(newestSource(join(repo, 'packages')), newestSource(join(repo, 'apps/ci/src')), newestSource(join(here, 'src')), statSync(fileURLToPath(import.meta.url)).mtimeMs, newestSource(join(here, 'build')));
  if (sources < Math.min(...programs.map((path) => statSync(path).mtimeMs))) process.exit(0);
}

// The offline verification commands, and the modules of src/commands/ they need. A run of one
// of them compiles a bundle of only these (about 40% of the whole): ~6 ms less to load.
const VERIFY_COMMANDS = ['verify-blob', 'verify-blob-attestation', 'verify-bundle'];
const VERIFY_MODULES = new Set([...VERIFY_COMMANDS, 'run-verification', 'verify-options']);

// Third-party modules evaluated at their first use (build/deferred-modules.mjs), not at every
// start: re2js builds its Unicode tables (only identity patterns need it), TUF's libraries
// only read a cache that may not be there, jose reads tokens. Together about 4 ms of
// `verify-blob`'s start. Those of CHUNK_PACKAGES are not in the bundles at all
// (build/chunks.mjs). Sigil's own packages are not deferred: their modules do nothing costly
// at load, and a deferred one (a require of an ES module) makes esbuild wrap every module it
// imports in a lazy initialiser, which cost more than it saved.
const DEFERRED_MODULES = ['re2js', '@tufjs/models', 'tuf-js', 'jose', '@noble/ciphers/salsa.js'];

const deferredDirs = new Map();
const [full, verifyOnly] = await Promise.all([bundle(), bundle(stubOtherCommands())]);
const chunks = await buildChunks([full.metafile, verifyOnly.metafile], here, deferredDirs);

mkdirSync(dist, { recursive: true });
rmSync(join(dist, 'sigil.bundle.cjs'), { force: true }); // the second file of earlier builds
// The same program as an ES module (sigil.mjs) and as CommonJS (sigil.cjs, the package's bin:
// Node starts a CommonJS entry about 4 ms sooner than an ES module). Each is one file; each
// file is replaced whole (tests run the CLI while others rebuild it). Both compile the same
// bundle text, so one code cache serves both.
const texts = oneFilePrograms({ verifyCommands: VERIFY_COMMANDS, verifyBundle: verifyOnly.text, fullBundle: full.text, chunks });
for (const [file, format] of [['sigil.cjs', 'cjs'], ['sigil.mjs', 'esm']]) {
  rmSync(join(dist, `${file}.cache`), { force: true });
  writeAtomically(join(dist, file), texts[format]);
}
const cache = makeCodeCache(join(dist, 'sigil.cjs'));
if (cache) for (const file of ['sigil.cjs', 'sigil.mjs']) writeAtomically(join(dist, `${file}.cache`), cache);

function bundle(plugin) {
  return build({
    ...SCRIPT_BUNDLE,
    entryPoints: [join(here, 'src/bin.ts')],
    tsconfig: join(repo, 'tsconfig.json'),
    external: CHUNK_PACKAGES,
    absWorkingDir: here,
    plugins: [leaveOut(), deferModules(DEFERRED_MODULES, isChunked, deferredDirs), ...(plugin ? [plugin] : [])],
  }).then((result) => ({ text: result.outputFiles[0].text, metafile: result.metafile }));
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
 * Runs the fresh build twice, verifying the example bundle (the verification bundle) and
 * inspecting it (the full one); each run writes the code cache it compiled. Returns the two
 * together (a 4-byte length, then each), or nothing, with a warning, when a run made none.
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
    ],
    ['inspect', bundleFile, '--output', 'json'],
  ];
  const caches = [];
  for (const args of runs) {
    const out = `${program}.${process.pid}.part`;
    const run = spawnSync(process.execPath, [program, ...args], { encoding: 'utf8', env: { ...process.env, SIGIL_CODE_CACHE_OUT: out } });
    const wrote = existsSync(out);
    if (run.status !== 0 || !wrote) {
      rmSync(out, { force: true });
      console.warn(`sigil build: no code cache (${args[0]} exited ${run.status}${wrote ? '' : ', wrote no cache'}: ${run.stderr.trim()}); the CLI works, it only starts slower`);
      return undefined;
    }
    caches.push(readFileSync(out));
    rmSync(out);
  }
  const length = Buffer.alloc(4);
  length.writeUInt32LE(caches[0].length);
  return Buffer.concat([length, ...caches]);
}

function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
