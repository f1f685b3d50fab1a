// Third-party packages that commands need only sometimes (re2js for identity patterns, TUF's
// models for a cache, jose for tokens, @noble/* for digests and key files) are kept out of both
// bundles: each module of them that the bundles require is bundled alone into a chunk, stored
// compressed in the one file and compiled by the loader on its first require: their bytes cost a
// verification start little. A chunk requires another package's chunk by name, so each package
// that two chunks use (tuf-js and Sigil both use @tufjs/models) is evaluated once and its
// classes stay the same classes. Modules of one package required separately (@noble/hashes'
// utils.js, hmac.js, sha2.js) each carry their own copy of what they share inside the package:
// fine for these, which share functions and constants, no classes or state. Chunks exchange
// only plain values with the bundles.
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { SCRIPT_BUNDLE } from './script-bundle.mjs';

export const CHUNK_PACKAGES = ['re2js', '@tufjs/models', 'jose', '@noble/curves', '@noble/ciphers', '@noble/hashes'];

const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
/** Whether the loader serves `specifier` from a chunk. */
export const isChunked = (specifier) => CHUNK_PACKAGES.includes(packageOf(specifier));

/**
 * The chunks the bundles need (found in their esbuild metafiles, whose paths are relative to
 * `workingDir`; `deferredDirs` says where deferred-modules.mjs's stand-ins were imported from),
 * each built alone, with the chunks those need in turn: a map from the require specifier to its
 * CommonJS source.
 */
export async function buildChunks(metafiles, workingDir, deferredDirs) {
  const chunks = new Map();
  const queue = metafiles.flatMap((metafile) => chunkImports(metafile, workingDir, deferredDirs));
  while (queue.length > 0) {
    const { specifier, resolveDir } = queue.shift();
    if (chunks.has(specifier)) continue;
    const result = await build({
      ...SCRIPT_BUNDLE,
      stdin: { contents: `module.exports = require(${JSON.stringify(specifier)});`, resolveDir, loader: 'js' },
      absWorkingDir: workingDir,
      external: CHUNK_PACKAGES.filter((name) => name !== packageOf(specifier)),
    });
    chunks.set(specifier, result.outputFiles[0].text);
    queue.push(...chunkImports(result.metafile, workingDir, deferredDirs));
  }
  return chunks;
}

/** The chunk modules a build requires, each with the directory to resolve it from. */
function chunkImports(metafile, workingDir, deferredDirs) {
  return Object.entries(metafile.inputs).flatMap(([path, input]) =>
    input.imports
      .filter((i) => i.external && isChunked(i.path))
      .map((i) => ({ specifier: i.path, resolveDir: path.startsWith('deferred:') ? deferredDirs.get(i.path) : dirname(resolve(workingDir, path)) })),
  );
}
