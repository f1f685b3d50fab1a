// The bounded slice of every fuzz target in `pnpm test`: a fixed number of executions from a
// fixed libFuzzer seed (reproducible), in a fresh working corpus, capped in wall time so that
// a loaded machine shortens the run instead of failing it. Only a finding fails: a crash
// (an untyped error or a broken property), a timeout or running out of memory.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTargets } from '../src/build-targets.mjs';
import { runTarget } from '../src/run-target.mjs';

// Executions per target: each about 5 s on this 2-core machine (see README.md for the rates).
const RUNS: Record<string, number> = {
  'bundle-verify': 3000,
  x509: 10_000,
  'trust-config': 5000,
  'npm-tarball': 2000,
  'oci-manifest': 10_000,
  'www-authenticate': 30_000,
};
const SEED = 20_260_101;
const MAX_SECONDS = 12;

describe('bounded fuzzing (Jazzer.js)', () => {
  let built: Record<string, string>;
  let workDir: string;
  beforeAll(async () => {
    built = await buildTargets(Object.keys(RUNS));
    workDir = mkdtempSync(join(tmpdir(), 'sigil-fuzz-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  for (const [name, runs] of Object.entries(RUNS)) {
    it(`${name}: ${runs} executions without a finding`, async () => {
      const result = await runTarget(name, { built: built[name], runs, seed: SEED, seconds: MAX_SECONDS, workDir, quiet: true });
      const findings = readdirSync(result.findings).map((file) => `${file}: ${readFileSync(join(result.findings, file)).toString('base64')}`);
      if (result.code !== 0 || findings.length > 0) {
        // The input, in base64, and what libFuzzer said: enough to add it as a regression.
        throw new Error(`${name}: exit ${result.code}\n${findings.join('\n')}\n${result.output.split('\n').filter((l) => !l.startsWith('#')).slice(-40).join('\n')}`);
      }
      expect(result.stats.number_of_executed_units).toBeGreaterThan(0);
    }, 60_000);
  }
});
