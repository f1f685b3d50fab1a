// An esbuild plugin for the CLI's bundles: the named modules are evaluated where their exports
// are first used, not when the bundle starts. Each import of one gets a CommonJS stand-in whose
// exports are getters that require the real module (bundled as usual) on first access; esbuild
// reads named imports from CommonJS as property accesses at each use, so nothing runs earlier.
// The real module is the same code, evaluated once, only later: that is safe for modules without
// side effects at load, which every module build.mjs lists must be.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const RESOLVING = Symbol('resolving the real module');

/** @param {string[]} specifiers bare import specifiers, e.g. 're2js' */
export function deferModules(specifiers) {
  const filter = new RegExp(`^(${specifiers.map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'defer-modules',
    setup(b) {
      b.onResolve({ filter }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined; // b.resolve below, asking where the real module is
        const real = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: 'deferred' };
      });
      b.onLoad({ filter: /.*/, namespace: 'deferred' }, async (args) => ({
        loader: 'js',
        resolveDir: dirname(args.path),
        contents: `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
for (const name of ${JSON.stringify(await exportNames(args.path))}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
`,
      }));
    },
  };
}

/** The names a module exports: esbuild's account of an ES module, or a CommonJS module's keys once loaded. */
async function exportNames(path) {
  const result = await build({ entryPoints: [path], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, outdir: 'unused', logLevel: 'silent' });
  const names = Object.values(result.metafile.outputs).find((output) => output.entryPoint !== undefined).exports;
  const esModule = !(names.length === 1 && names[0] === 'default');
  return esModule ? names : Object.keys(createRequire(import.meta.url)(path));
}
