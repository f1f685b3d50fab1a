// The bounded run can fail: a target with a planted crash is found and reported, with the
// input saved as a finding.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTarget } from '../src/run-target.mjs';

const planted = fileURLToPath(new URL('./planted-bug/', import.meta.url));

describe('fuzz harness', () => {
  it('finds a planted crash, exits non-zero and keeps the input', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'sigil-fuzz-harness-'));
    try {
      const result = await runTarget('planted-bug', { built: join(planted, 'target.cjs'), seedsDir: join(planted, 'seeds'), runs: 100_000, seed: 1, seconds: 30, workDir, quiet: true });
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('planted bug');
      const findings = readdirSync(result.findings);
      expect(findings).toHaveLength(1);
      expect(readFileSync(join(result.findings, findings[0]!)).subarray(0, 8).toString()).toBe('PLANTED!');
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }, 60_000);
});
