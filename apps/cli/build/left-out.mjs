// An esbuild plugin for modules the CLI's bundles leave out: each import of one gets a stand-in
// that throws, naming why, if it is ever called.
//
// make-fetch-happen (with iconv-lite, cacache, socks, ...: 0.7 MB of minified code) is
// tuf-js's default fetcher, which Sigil never constructs: it hands tuf-js its own, on
// @sigil/http-client (packages/tuf/src/mirror-fetcher.ts).
const LEFT_OUT = { 'make-fetch-happen': 'tuf-js fetches through sigil\'s own HTTP client' };

export function leaveOut() {
  const filter = new RegExp(`^(${Object.keys(LEFT_OUT).join('|')})$`);
  return {
    name: 'left-out',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'left-out' }));
      b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
        loader: 'js',
        contents: `module.exports = () => { throw new Error(${JSON.stringify(`sigil: ${args.path} is not in this build (${LEFT_OUT[args.path]})`)}); };`,
      }));
    },
  };
}
