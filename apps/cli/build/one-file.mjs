// The text of dist/sigil.mjs and dist/sigil.cjs: a small loader, then the two CommonJS bundles
// and the chunks (chunks.mjs), each held as a comment in a function. The parser skips comments
// quickly and a function's text gives them back without reading the file again (a string
// literal cost about 5 ms more to parse). Node reads and scans the whole file at every start
// (about 3 ms a megabyte here), so only the verification bundle is kept as it is, in a block
// comment (its few "*/" written "*\0/"), so that its text is a slice of the file's; the full
// bundle and the chunks are base64 brotli on one comment line each, inflated by the runs that
// need them. The chosen bundle is compiled through node:vm with its part of the code cache
// beside the file (`<file>.cache`: a 4-byte length, the verification bundle's cache, the full
// bundle's), when there is one.
import { brotliCompressSync, constants as zlib } from 'node:zlib';

/**
 * Both files at once (their loaders differ only in how they learn their own path), so that the
 * bundles are compressed once.
 * @param {{ verifyCommands: string[], verifyBundle: string, fullBundle: string, chunks: Map<string, string> }} parts
 * @returns {{ esm: string, cjs: string }}
 */
export function oneFilePrograms(parts) {
  const body = programBody(parts);
  // An ES module learns its path from import.meta.url, CommonJS from __filename.
  const esm = `${NODE_CHECK}\nconst filename = process.getBuiltinModule('node:url').fileURLToPath(import.meta.url);`;
  const cjs = `'use strict';\n${NODE_CHECK}\nconst filename = __filename;`;
  return { esm: `${HEADER}\n${esm}\n${body}`, cjs: `${HEADER}\n${cjs}\n${body}` };
}

const HEADER = `#!/usr/bin/env node
// sigil: built by apps/cli/build.mjs. The program is a CommonJS bundle below, compiled with a V8 code cache.`;

// process.getBuiltinModule (Node 20.16) is how the loader reaches Node's modules: say so plainly
// on an older Node rather than fail with a TypeError.
const NODE_CHECK = `if (typeof process.getBuiltinModule !== 'function') {
  process.stderr.write('sigil: needs Node.js 20.19 or later (this is ' + process.version + ')\\n');
  process.exit(1);
}`;

function programBody({ verifyCommands, verifyBundle, fullBundle, chunks }) {
  const chunkHolders = [...chunks.keys()].map((specifier, i) => [specifier, `chunk${i}`]);
  // The bundles require only Node's built-in modules (and the chunks, which load() serves):
  // process.getBuiltinModule gives them without an import or createRequire, which cost an
  // ES module entry a few milliseconds of linking.
  return `const { closeSync, fstatSync, openSync, readSync, writeFileSync } = process.getBuiltinModule('node:fs');
const { Script } = process.getBuiltinModule('node:vm');
function nodeRequire(specifier) {
  const builtin = process.getBuiltinModule(specifier);
  if (builtin === undefined) throw new Error('sigil: ' + specifier + ' is not a built-in module of this Node, and not in this file');
  return builtin;
}
const verifying = ${JSON.stringify(verifyCommands)}.includes(process.argv[2]);
// The block comment of a function below, as it was before "*\\0/" stood in it for "*" "/".
function commented(holder) {
  const text = holder.toString();
  const body = text.slice(text.indexOf('/*') + 2, text.lastIndexOf('*/'));
  return body.includes('*\\0/') ? body.replaceAll('*\\0/', '*/') : body;
}
/** The base64 line of a function below, inflated. */
const inflated = (holder) => {
  const text = holder.toString();
  return nodeRequire('node:zlib').brotliDecompressSync(Buffer.from(text.slice(text.indexOf('//') + 2, text.lastIndexOf('\\n')), 'base64')).toString('latin1');
};
const CHUNKS = { ${chunkHolders.map(([specifier, holder]) => `${JSON.stringify(specifier)}: ${holder}`).join(', ')} };
const chunkExports = new Map();
/** require() as the bundles see it: a chunk of this file, compiled on first use, or Node's. */
function load(specifier) {
  if (!Object.hasOwn(CHUNKS, specifier)) return nodeRequire(specifier);
  let chunk = chunkExports.get(specifier);
  if (chunk === undefined) {
    chunk = { exports: {} };
    chunkExports.set(specifier, chunk);
    new Script(inflated(CHUNKS[specifier]), { filename: filename + '#' + specifier }).runInThisContext()(chunk.exports, load, chunk, filename, filename);
  }
  return chunk.exports;
}
const bundle = verifying ? commented(verificationBundle) : inflated(fullBundleBrotli);
let cachedData;
try {
  // Only this bundle's part of the cache is read (the other is as large).
  const fd = openSync(filename + '.cache', 'r');
  try {
    const lengths = Buffer.alloc(4);
    const size = fstatSync(fd).size;
    const verifyLength = readSync(fd, lengths, 0, 4, 0) === 4 ? lengths.readUInt32LE(0) : Infinity;
    // A cache of another layout is not ours to read (nor to allocate gigabytes for).
    if (verifyLength <= size - 4) {
      const [at, length] = verifying ? [4, verifyLength] : [4 + verifyLength, size - 4 - verifyLength];
      const part = Buffer.allocUnsafe(length);
      if (readSync(fd, part, 0, length, at) === length) cachedData = part;
    }
  } finally {
    closeSync(fd);
  }
} catch {
  // no cache beside this file: compile from source
}
const script = new Script(bundle, { filename, cachedData });
if (process.env.SIGIL_CODE_CACHE_OUT) process.once('exit', () => writeFileSync(process.env.SIGIL_CODE_CACHE_OUT, script.createCachedData()));
const program = { exports: {} };
script.runInThisContext()(program.exports, load, program, filename, filename);

function verificationBundle() {/*${blockComment(verifyBundle)}*/}
function fullBundleBrotli() {
//${compressed(fullBundle)}
}
${chunkHolders.map(([specifier, holder]) => `function ${holder}() {\n//${compressed(chunks.get(specifier))}\n}\n`).join('')}`;
}

function blockComment(text) {
  // ASCII without NUL: what esbuild writes (charset ascii), and what makes "*\0/" unambiguous.
  if (/[^\x01-\x7f]/.test(text)) throw new Error('sigil build: a bundle must be ASCII without NUL (esbuild charset ascii)');
  return text.replaceAll('*/', '*\0/');
}

function compressed(text) {
  return brotliCompressSync(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: text.length } }).toString('base64');
}
