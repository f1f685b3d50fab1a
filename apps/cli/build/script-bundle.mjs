// esbuild options shared by the CLI's bundles and chunks: minified CommonJS for Node 20 that
// runs as a vm.Script (for its code cache), where import() has no loader, so lazy imports
// (node:https, node:zlib, a chunk) become lazy require() calls instead. The text is a function
// expression of what Node gives a CommonJS module, which the loader calls.
export const SCRIPT_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  supported: { 'dynamic-import': false },
  minify: true,
  legalComments: 'none',
  write: false,
  metafile: true,
  logLevel: 'warning',
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '})' },
};
