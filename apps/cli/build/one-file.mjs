// The text of dist/sigil.mjs and dist/sigil.cjs: a small loader, then the two CommonJS bundles
// and the chunks (chunks.mjs), each held as the line comments of a function. The parser skips
// comments quickly and a function's text gives them back without reading the file again. A
// bundle cannot be a string literal (about 5 ms more to parse) nor a block comment (minified
// code holds "*/"). Node reads and scans the whole file at every start (about 5 ms a megabyte
// here), so only the verification bundle is kept as it is; the full bundle (1.8 MB of text) and
// the chunks are base64 brotli, inflated by the runs that need them, which costs those about
// what it saves them in reading. The chosen bundle is compiled through node:vm with its part of
// the code cache beside the file (`<file>.cache`: a 4-byte length, the verification bundle's
// cache, the full bundle's), when there is one.
import { brotliCompressSync, constants as zlib } from 'node:zlib';

/**
 * @param {{ verifyCommands: string[], verifyBundle: string, fullBundle: string, chunks: Map<string, string>, format: 'esm' | 'cjs' }} parts
 */
export function oneFileProgram({ verifyCommands, verifyBundle, fullBundle, chunks, format }) {
  const chunkHolders = [...chunks.keys()].map((specifier, i) => [specifier, `chunk${i}`]);
  const imports =
    format === 'esm'
      ? `import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { fileURLToPath } from 'node:url';
const filename = fileURLToPath(import.meta.url);
const nodeRequire = createRequire(import.meta.url);`
      : `'use strict';
const { closeSync, fstatSync, openSync, readSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');
const filename = __filename;
const nodeRequire = require;`;
  return `#!/usr/bin/env node
// sigil: built by apps/cli/build.mjs. The program is a CommonJS bundle below, compiled with a V8 code cache.
${imports}
const verifying = ${JSON.stringify(verifyCommands)}.includes(process.argv[2]);
/** The comment lines of a function below, without their "//". */
function commented(holder) {
  const text = holder.toString();
  return text.slice(text.indexOf('\\n') + 3, text.lastIndexOf('\\n')).replaceAll('\\n//', '\\n');
}
const inflated = (holder) => nodeRequire('node:zlib').brotliDecompressSync(Buffer.from(commented(holder), 'base64')).toString('latin1');
const wrapped = (source) => '(function (exports, require, module, __filename, __dirname) {' + source + '\\n})';
const CHUNKS = { ${chunkHolders.map(([specifier, holder]) => `${JSON.stringify(specifier)}: ${holder}`).join(', ')} };
const chunkExports = new Map();
/** require() as the bundles see it: a chunk of this file, compiled on first use, or Node's. */
function load(specifier) {
  if (!Object.hasOwn(CHUNKS, specifier)) return nodeRequire(specifier);
  let chunk = chunkExports.get(specifier);
  if (chunk === undefined) {
    chunk = { exports: {} };
    chunkExports.set(specifier, chunk);
    new Script(wrapped(inflated(CHUNKS[specifier])), { filename: filename + '#' + specifier }).runInThisContext()(chunk.exports, load, chunk, filename, filename);
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
const script = new Script(wrapped(bundle), { filename, cachedData });
if (process.env.SIGIL_CODE_CACHE_OUT) process.once('exit', () => writeFileSync(process.env.SIGIL_CODE_CACHE_OUT, script.createCachedData()));
const program = { exports: {} };
script.runInThisContext()(program.exports, load, program, filename, filename);

function verificationBundle() {
${comment(verifyBundle)}}
function fullBundleBrotli() {
${comment(compressed(fullBundle))}}
${chunkHolders.map(([specifier, holder]) => `function ${holder}() {\n${comment(compressed(chunks.get(specifier)))}}\n`).join('')}`;
}

function comment(text) {
  // Only "\n" may end a line of a bundle: the parser must see every line as a comment.
  if (/[^\x00-\x7f]|\r/.test(text)) throw new Error('sigil build: a bundle must be ASCII with \\n line ends (esbuild charset ascii)');
  return `//${text.replaceAll('\n', '\n//')}\n`;
}

function compressed(text) {
  return brotliCompressSync(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: text.length } }).toString('base64');
}
