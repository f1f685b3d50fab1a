import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { recordMirror, refreshTuf } from '@sigil/tuf';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FIXTURES, NEW, StaticMirror } from '../../../packages/tuf/test/static-mirror.js';
import { repoRoot } from './import-graph.js';

// The bundled binary, run as separate processes exactly as the sigstore-conformance suite
// runs a client: all 70 cases, with the file and with its sha256: digest.
const run = promisify(execFile);
const binary = join(repoRoot, 'apps/cli/dist/sigil.mjs');
const suite = join(repoRoot, 'test-infra/fixtures/conformance/bundle-verify');
const DEFAULT_IDENTITY = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

async function sigil(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [binary, ...args]);
    return { code: 0, stderr };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stderr: e.stderr ?? '' };
  }
}

function argsFor(name: string, digest: boolean): string[] {
  const dir = join(suite, name);
  const has = (f: string) => existsSync(join(dir, f));
  const artifact = has('artifact') ? join(dir, 'artifact') : join(suite, 'a.txt');
  const args = ['verify-bundle', '--bundle', join(dir, 'bundle.sigstore.json')];
  if (has('key.pub')) args.push('--key', join(dir, 'key.pub'));
  else {
    const read = (f: string, fallback: string) => (has(f) ? readFileSync(join(dir, f), 'utf8').trim() : fallback);
    args.push('--certificate-identity', read('identity', DEFAULT_IDENTITY), '--certificate-oidc-issuer', read('issuer', DEFAULT_ISSUER));
  }
  if (has('trusted_root.json')) args.push('--trusted-root', join(dir, 'trusted_root.json'));
  args.push(digest ? `sha256:${createHash('sha256').update(readFileSync(artifact)).digest('hex')}` : artifact);
  return args;
}

beforeAll(async () => {
  await run(process.execPath, [join(repoRoot, 'apps/cli/build.mjs')]);
}, 120_000);

describe('the bundled sigil binary', () => {
  it('passes the 140 conformance runs', async () => {
    const cases = readdirSync(suite, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    const runs = cases.flatMap((name) => [false, true].map((digest) => ({ name, digest })));
    const failures: string[] = [];
    for (let i = 0; i < runs.length; i += 4) {
      await Promise.all(
        runs.slice(i, i + 4).map(async ({ name, digest }) => {
          const { code, stderr } = await sigil(argsFor(name, digest));
          const expected = name.endsWith('_fail') ? 1 : 0;
          if (code !== expected) failures.push(`${name} (${digest ? 'digest' : 'path'}): exit ${code}, expected ${expected}: ${stderr.trim()}`);
        }),
      );
    }
    expect(runs).toHaveLength(140);
    expect(failures).toEqual([]);
  }, 300_000);

  it('is one file (as an ES module and as CommonJS): copied alone into an empty directory, it verifies a real bundle (and with its code cache beside it)', async () => {
    const example = join(repoRoot, 'examples/rfc8785-wheel');
    const args = [
      'verify-blob',
      join(example, 'rfc8785-0.1.2-py3-none-any.whl'),
      '--bundle',
      join(example, 'rfc8785-0.1.2-py3-none-any.whl.sigstore.json'),
      '--certificate-identity',
      'https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2',
      '--certificate-oidc-issuer',
      DEFAULT_ISSUER,
    ];
    const checkCache = ['-r', join(repoRoot, 'test-infra/repo-checks/test/support/code-cache-check.cjs')];
    for (const file of ['sigil.mjs', 'sigil.cjs']) {
      const alone = mkdtempSync(join(tmpdir(), 'sigil-one-file-'));
      copyFileSync(join(repoRoot, 'apps/cli/dist', file), join(alone, file));
      expect(readdirSync(alone)).toEqual([file]);
      const { stderr } = await run(process.execPath, [join(alone, file), ...args], { cwd: alone });
      expect(stderr).toBe('Verified OK\n');
      // The other commands come from the second bundle in the file.
      const inspected = await run(process.execPath, [join(alone, file), 'inspect', args[3]!, '--output', 'json'], { cwd: alone });
      expect(JSON.parse(inspected.stdout)).toMatchObject({ bundleVersion: '0.2', signer: { identity: args[5] } });
      // With the cache beside it, V8 must accept it for both bundles (checkCache says on stderr when not).
      copyFileSync(join(repoRoot, 'apps/cli/dist', `${file}.cache`), join(alone, `${file}.cache`));
      expect((await run(process.execPath, [...checkCache, join(alone, file), ...args], { cwd: alone })).stderr).toBe('Verified OK\n');
      const described = await run(process.execPath, [...checkCache, join(alone, file), 'inspect', args[3]!], { cwd: alone });
      expect(described.stdout).toContain('Signer identity:');
      expect(described.stderr).toBe('');
    }
  }, 60_000);

  // build.mjs defers what only some commands need (its DEFERRED_MODULES: evaluated at first use),
  // the third-party ones kept in compressed chunks: each path that needs one, through the built
  // file.
  it('loads what it defers when a command needs it: RE2 patterns, a TUF cache, a GitLab preset, a key file', async () => {
    const cjs = join(repoRoot, 'apps/cli/dist/sigil.cjs');
    const example = join(repoRoot, 'examples/rfc8785-wheel');
    const blob = [join(example, 'rfc8785-0.1.2-py3-none-any.whl'), '--bundle', join(example, 'rfc8785-0.1.2-py3-none-any.whl.sigstore.json')];
    const sigilCjs = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      run(process.execPath, [cjs, ...args], { env: { ...process.env, ...env } }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
      );

    const pattern = await sigilCjs(['verify-blob', ...blob, '--certificate-identity-regexp', '^https://github\\.com/trailofbits/rfc8785\\.py/.*$', '--certificate-oidc-issuer', DEFAULT_ISSUER]);
    expect(pattern.stderr).toBe('Verified OK\n');
    const unanchored = await sigilCjs(['verify-blob', ...blob, '--certificate-identity-regexp', 'https://github.com/trailofbits/', '--certificate-oidc-issuer', DEFAULT_ISSUER]);
    expect(unanchored.code).toBe(2);
    expect(unanchored.stderr).toContain('^https://github\\.com/trailofbits/.*$');

    const preset = await sigilCjs(['verify-blob', ...blob, '--gitlab-project', 'group/project', '--gitlab-branch', 'main']);
    expect(preset.code).toBe(1);
    expect(preset.stderr).toContain('POLICY_IDENTITY_MISMATCH');

    // A cache written from the August 2026 fixture layout at its time; read later, expired.
    const mirror = await StaticMirror.start();
    const tufRoot = mkdtempSync(join(tmpdir(), 'sigil-binary-tuf-'));
    try {
      // tuf-js walks the fixture's roots through sigil's fetcher (its own is left out of the
      // build) to the end, which is expired by now.
      const walked = await sigilCjs(['initialize', '--mirror', mirror.url, '--root', join(FIXTURES, NEW, '5.root.json')], { TUF_ROOT: tufRoot });
      expect(walked.code).toBe(1);
      expect(walked.stderr).toContain('TUF_METADATA_EXPIRED');
      expect(mirror.requests).toContain('15.root.json');
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-08-22T00:00:00Z'));
      await refreshTuf({ cacheRoot: tufRoot, mirror: mirror.url, root: readFileSync(join(FIXTURES, NEW, '5.root.json')) });
      recordMirror(tufRoot, mirror.url);
    } finally {
      vi.useRealTimers();
      await mirror.stop();
    }
    const corpusCase = join(repoRoot, 'test-infra/fixtures/corpus/java-rekor2-prod-dsse');
    const meta = JSON.parse(readFileSync(join(corpusCase, 'case.json'), 'utf8'));
    const cached = await sigilCjs(
      ['verify-blob', join(corpusCase, 'artifact'), '--bundle', join(corpusCase, 'bundle.json'), '--certificate-identity', meta.identity, '--certificate-oidc-issuer', meta.issuer, '--output', 'json'],
      { TUF_ROOT: tufRoot, TUF_MIRROR: '', SIGIL_TRUSTED_ROOT: '' },
    );
    expect(cached.code, cached.stderr).toBe(0);
    expect(JSON.parse(cached.stdout).trust).toMatchObject({ source: 'tuf-cache', mirror: mirror.url, versions: { root: 15 } });

    // A cosign key file: scrypt and secretbox from the @noble chunks, both ways.
    const keys = mkdtempSync(join(tmpdir(), 'sigil-binary-keys-'));
    const password = { COSIGN_PASSWORD: 'binary test password' };
    expect((await sigilCjs(['generate-key-pair', '--output-key-prefix', join(keys, 'cosign')], password)).code).toBe(0);
    const exported = await sigilCjs(['public-key', '--key', join(keys, 'cosign.key')], password);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(readFileSync(join(keys, 'cosign.pub'), 'utf8'));
  }, 60_000);

  it('runs as `pnpm -s sigil` from the repository root', async () => {
    const { stdout } = await run('pnpm', ['-s', 'sigil', '--version'], { cwd: repoRoot });
    expect(stdout.trim()).toMatch(/^sigil \d+\.\d+\.\d+$/);
  }, 120_000);
});
