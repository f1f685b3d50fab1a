// Preloaded (node -r) into the built CLI by cli-binary.test.ts: says on stderr when no
// vm.Script of the run was compiled from a code cache V8 accepted (a cache that does not fit is
// silently recompiled: the CLI still works, only slower, and no other check would notice).
const vm = require('node:vm');
const Script = vm.Script;
let used = false;
vm.Script = class extends Script {
  constructor(source, options) {
    super(source, options);
    if (options?.cachedData && !this.cachedDataRejected) used = true;
  }
};
process.on('exit', () => {
  if (!used) require('node:fs').writeSync(2, 'code cache not used\n');
});
