// node scripts/one-file-cli.mjs DIST OUT: the CLI as one file OUT, what a release ships.
// apps/cli/build.mjs writes DIST/sigil.mjs; while that file is still a loader that reads
// DIST/sigil.bundle.cjs from beside it, the bundle is inlined here and run the way the loader
// runs it (a vm.Script, so a CommonJS body in sloppy mode), without the code cache. Once
// build.mjs writes sigil.mjs as one file, it is copied as it is.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dist, out] = process.argv.slice(2);
if (!dist || !out) {
  console.error('usage: node scripts/one-file-cli.mjs DIST OUT');
  process.exit(2);
}
const bundle = join(dist, 'sigil.bundle.cjs');
const text = existsSync(bundle)
  ? `#!/usr/bin/env node
// sigil: one file, built by scripts/release.
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
const filename = fileURLToPath(import.meta.url);
const source = ${JSON.stringify(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`)};
const module = { exports: {} };
new Script(source, { filename }).runInThisContext()(module.exports, createRequire(import.meta.url), module, filename, dirname(filename));
`
  : readFileSync(join(dist, 'sigil.mjs'), 'utf8');
writeFileSync(out, text);
chmodSync(out, 0o755);
