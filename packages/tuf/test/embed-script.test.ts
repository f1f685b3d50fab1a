import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { embedFromTuf } from '../../../scripts/embed-trusted-roots.mjs';
import { FIXTURES, NEW, StaticMirror } from './static-mirror.js';

let mirror: StaticMirror;
let repoDir: string;
beforeAll(async () => {
  mirror = await StaticMirror.start();
  repoDir = mkdtempSync(join(tmpdir(), 'sigil-embed-repo-'));
});
afterAll(async () => {
  vi.useRealTimers();
  await mirror.stop();
  rmSync(repoDir, { recursive: true, force: true });
});

it('scripts/embed-trusted-roots.mjs refreshes the embedded snapshot and the next anchor through the TUF client', async () => {
  mirror.serve(NEW);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-08-22T00:00:00Z'));
  const result = await embedFromTuf({ repoDir, instance: 'production', mirror: mirror.url, root: readFileSync(join(FIXTURES, NEW, '5.root.json')) });
  expect(result.after.versions.root).toBe(15);
  const targets = join(FIXTURES, NEW, 'targets');
  const trustedRoot = readFileSync(join(targets, readdirSync(targets).find((f) => f.endsWith('.trusted_root.json'))!), 'utf8');
  expect(readFileSync(join(repoDir, 'test-infra/fixtures/corpus/trusted-roots/prod.json'), 'utf8')).toBe(trustedRoot);
  const anchor = readFileSync(join(repoDir, 'packages/tuf/src/embedded/production-root.ts'), 'utf8');
  expect(anchor).toContain(`export const PRODUCTION_TUF_ROOT: string = ${JSON.stringify(readFileSync(join(FIXTURES, NEW, '15.root.json'), 'utf8'))};`);
  const embedded = readFileSync(join(repoDir, 'packages/trust/src/embedded/production.ts'), 'utf8');
  expect(embedded).toContain(`export const PUBLIC_GOOD_PRODUCTION_ROOT: string = ${JSON.stringify(trustedRoot)};`);
  expect(embedded).toContain('root v15, targets v14, timestamp v762');
});
