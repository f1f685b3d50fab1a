// An esbuild plugin for the CLI's bundles: the named modules are evaluated where their exports
// are first used, not when the bundle starts. Each import of one gets a CommonJS stand-in whose
// exports are getters that require the real module (bundled as usual) on first access; esbuild
// reads named imports from CommonJS as property accesses at each use, so nothing runs earlier.
// The real module is the same code, evaluated once, only later: that is safe for modules without
// side effects at load, which every module build.mjs lists must be. A module kept in a chunk
// (chunks.mjs) is required by its name instead, which the loader resolves.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const RESOLVING = Symbol('resolving the real module');

/**
 * @param {string[]} specifiers bare import specifiers, e.g. 're2js'
 * @param {(specifier: string) => boolean} inChunk whether the loader provides the module
 * @param {Map<string, string>} chunkDirs filled with where each chunk module was imported from
 */
export function deferModules(specifiers, inChunk, chunkDirs) {
  const filter = new RegExp(`^(${specifiers.map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'defer-modules',
    setup(b) {
      b.onResolve({ filter }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined; // b.resolve below, asking where the real module is
        if (args.namespace === 'deferred') return { path: args.path, external: true }; // a stand-in's require of a chunk
        const pluginData = { specifier: args.path, resolveDir: args.resolveDir };
        if (inChunk(args.path)) {
          chunkDirs.set(args.path, args.resolveDir);
          return { path: args.path, namespace: 'deferred', pluginData: { ...pluginData, required: args.path } };
        }
        const real = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: 'deferred', pluginData: { ...pluginData, required: real.path } };
      });
      b.onLoad({ filter: /.*/, namespace: 'deferred' }, async ({ pluginData }) => ({
        loader: 'js',
        resolveDir: pluginData.resolveDir,
        contents: `let real;
const load = () => (real ??= require(${JSON.stringify(pluginData.required)}));
for (const name of ${JSON.stringify(await exportNames(pluginData.specifier, pluginData.resolveDir))}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
`,
      }));
    },
  };
}

/** The names a module exports: esbuild's account of an ES module, or a CommonJS module's keys once loaded. */
function exportNames(specifier, resolveDir) {
  // Both bundles import the same modules: find each one's names once.
  const key = `${resolveDir}\0${specifier}`;
  if (!knownExports.has(key)) knownExports.set(key, findExportNames(specifier, resolveDir));
  return knownExports.get(key);
}

const knownExports = new Map();

async function findExportNames(specifier, resolveDir) {
  const result = await build({
    stdin: { contents: `export * from ${JSON.stringify(specifier)};`, resolveDir, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    outdir: 'unused',
    logLevel: 'silent',
  });
  const names = Object.values(result.metafile.outputs)[0].exports;
  return names.length > 0 ? names : Object.keys(createRequire(join(resolveDir, 'unused.js'))(specifier));
}
