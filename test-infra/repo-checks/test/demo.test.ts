import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { repoRoot } from './import-graph.js';

const run = promisify(execFile);

// The README's first command ends in scripts/demo.mjs: it must run to the end.
it('the demo signs, verifies and rejects tampering and a wrong identity', async () => {
  await run(process.execPath, [join(repoRoot, 'apps/cli/build.mjs')]);
  await run(process.execPath, [join(repoRoot, 'test-infra/stack/build.mjs')]);
  const { stdout } = await run(process.execPath, [join(repoRoot, 'scripts/demo.mjs')]);
  expect(stdout).toContain('Verified OK');
  expect(stdout).toContain('VERIFY_ARTIFACT_MISMATCH');
  expect(stdout).toContain('POLICY_IDENTITY_MISMATCH');
  expect(stdout).toContain('Demo OK');
}, 180_000);
