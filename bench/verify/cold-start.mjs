// Cold whole-process times, run by bench/verify/run.mjs as a process of its own: spawned from
// the benchmark's own large process, every child paid several ms more (forking it), and a
// child started right after a sigstore-js run (100+ MB, several threads) paid more again. Each
// program is timed against `node -e 0` in its own interleaved loop, so that every figure is
// taken under the same conditions as its baseline. Prints JSON: medians in ms.
// node cold-start.mjs RUNS '<json: {name: argv}>'
import { spawnSync } from 'node:child_process';

const [runs, programsJson] = process.argv.slice(2);
const programs = JSON.parse(programsJson);

function timeProcess(args) {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${String(r.stderr).slice(0, 500)}`);
  return ms;
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const results = {};
for (const [name, args] of Object.entries(programs)) {
  const node = [];
  const program = [];
  timeProcess(args); // the file in the page cache, as for a user's second run
  for (let i = 0; i < Number(runs); i++) {
    node.push(timeProcess(['-e', '0']));
    program.push(timeProcess(args));
  }
  results[name] = { node: median(node), program: median(program) };
}
console.log(JSON.stringify(results));
