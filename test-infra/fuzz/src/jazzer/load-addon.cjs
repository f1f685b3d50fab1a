'use strict';
// Preloaded (node -r) before Jazzer.js: when its prebuilt libFuzzer addon does not load on
// this glibc, load a patched copy instead (see patch-addon.cjs). The package in node_modules
// is left as installed; the copy lives in node_modules/.cache, keyed by the original's hash.
const Module = require('node:module');
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { patchAddon } = require('./patch-addon.cjs');

const ADDON = `fuzzer-${process.platform}-${process.arch}.node`;
const CACHE = join(__dirname, '../../node_modules/.cache/jazzer-addon');
const loadNative = Module._extensions['.node'];

Module._extensions['.node'] = function (module, filename) {
  if (!filename.endsWith(ADDON)) return loadNative.call(this, module, filename);
  try {
    return loadNative.call(this, module, filename);
  } catch (err) {
    if (!/version `GLIBC(XX)?_[0-9.]+' not found/.test(String(err && err.message))) throw err;
    return loadNative.call(this, module, patchedCopy(filename));
  }
};

function patchedCopy(filename) {
  const original = readFileSync(filename);
  const target = join(CACHE, `${createHash('sha256').update(original).digest('hex').slice(0, 16)}-${ADDON}`);
  if (!existsSync(target)) {
    mkdirSync(CACHE, { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, patchAddon(original));
    renameSync(temporary, target);
  }
  return target;
}
