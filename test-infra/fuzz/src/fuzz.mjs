// `pnpm fuzz [target ...] [--seconds N] [--runs N] [--seed N]`: long fuzzing runs, by hand.
// Without targets, runs each in turn. See test-infra/fuzz/README.md.
import { parseArgs } from 'node:util';
import { runTarget } from './run-target.mjs';
import { buildTargets } from './build-targets.mjs';
import { TARGETS } from './targets.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' }, timeout: { type: 'string' }, list: { type: 'boolean' } },
});
if (values.list) {
  for (const [name, target] of Object.entries(TARGETS)) console.log(`${name.padEnd(18)} ${target.description}`);
  process.exit(0);
}
const names = positionals.length > 0 ? positionals : Object.keys(TARGETS);
const built = await buildTargets(names.filter((name) => name in TARGETS));
const number = (text) => (text === undefined ? undefined : Number(text));
let failed = 0;
for (const name of names) {
  const result = await runTarget(name, { built: built[name], seconds: number(values.seconds), runs: number(values.runs), seed: number(values.seed), timeoutMs: number(values.timeout) });
  console.error(`\n${name}: exit ${result.code}, ${result.stats.number_of_executed_units ?? 0} executions at ${result.stats.average_exec_per_sec ?? 0}/s; findings in ${result.findings}`);
  if (result.code !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
