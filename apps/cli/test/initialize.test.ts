import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIXTURES, NEW, OLD, StaticMirror } from '../../../packages/tuf/test/static-mirror.js';
import { printedCode, repoRoot, runCli } from './run-cli.js';

// The real metadata of each layout is valid at these times (timestamps last a week).
const OLD_TIME = new Date('2025-09-23T00:00:00Z');
const NEW_TIME = new Date('2026-08-22T00:00:00Z');
const ROOT_V5 = join(FIXTURES, NEW, '5.root.json');

// A production bundle logged in Rekor v2's log2025-1, which the trusted root gained after the
// September 2025 layout: it verifies only once the cache has the newer trusted root.
const CASE = join(repoRoot, 'test-infra/fixtures/corpus/java-rekor2-prod-dsse');
const meta = JSON.parse(readFileSync(join(CASE, 'case.json'), 'utf8'));
const verifyArgs = ['verify-blob', join(CASE, 'artifact'), '--bundle', join(CASE, 'bundle.json'), '--certificate-identity', meta.identity, '--certificate-oidc-issuer', meta.issuer];

let mirror: StaticMirror;
let tufRoot: string;

beforeAll(async () => {
  mirror = await StaticMirror.start();
});
afterAll(async () => {
  await mirror.stop();
});
beforeEach(() => {
  tufRoot = mkdtempSync(join(tmpdir(), 'sigil-tuf-root-'));
  vi.stubEnv('TUF_ROOT', tufRoot);
  vi.stubEnv('TUF_MIRROR', '');
  vi.stubEnv('SIGIL_TRUSTED_ROOT', '');
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  rmSync(tufRoot, { recursive: true, force: true });
});

async function initializeOld() {
  mirror.serve(OLD);
  vi.setSystemTime(OLD_TIME);
  const run = await runCli(['initialize', '--mirror', mirror.url, '--root', ROOT_V5]);
  expect(run.code, run.stderr).toBe(0);
  return run;
}

describe('sigil initialize and verification from the TUF cache', () => {
  it('walks from root v5, records the mirror, and a later run reports the new Rekor v2 log that a verification needs', async () => {
    const first = await initializeOld();
    expect(first.stdout).toContain('root v13, timestamp v467');
    expect(JSON.parse(readFileSync(join(tufRoot, 'remote.json'), 'utf8'))).toEqual({ mirror: mirror.url });

    // The September 2025 trusted root does not have log2025-1: the bundle is refused.
    const refused = await runCli(verifyArgs);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/log2025-1|log/);

    mirror.serve(NEW);
    vi.setSystemTime(NEW_TIME);
    const second = await runCli(['initialize', '--mirror', mirror.url]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('root v15, timestamp v762');
    expect(second.stdout).toContain('before: root v13, timestamp v467');
    expect(second.stdout).toMatch(/transparency log added: https:\/\/log2025-1\.rekor\.sigstore\.dev/);

    const verified = await runCli([...verifyArgs, '--output', 'json']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout).trust).toMatchObject({ source: 'tuf-cache', mirror: mirror.url, versions: { root: 15, timestamp: 762, snapshot: 165, targets: 14 } });
  });

  it('refuses a rollback and keeps verifying with the cache; warns when the cache has expired', async () => {
    mirror.serve(NEW);
    vi.setSystemTime(NEW_TIME);
    expect((await runCli(['initialize', '--mirror', mirror.url, '--root', ROOT_V5])).code).toBe(0);
    mirror.serve(OLD);
    const rollback = await runCli(['initialize', '--mirror', mirror.url]);
    expect(printedCode(rollback)).toBe('TUF_ROLLBACK');

    vi.setSystemTime(new Date('2026-09-05T00:00:00Z'));
    const late = await runCli([...verifyArgs, '--output', 'json']);
    expect(late.code, late.stderr).toBe(0);
    expect(late.stderr).toMatch(/WARNING: the cached TUF timestamp metadata of .* expired 7 days ago \(2026-08-28T19:25:56.000Z\)/);
    expect(JSON.parse(late.stdout).trust.versions.timestamp).toBe(762);
  });

  it('never uses a corrupt cache silently: an error for a private mirror', async () => {
    await initializeOld();
    const dir = join(tufRoot, `${mirror.url.replace('http://', '').replace(/[/:]/g, '-')}.sigil`);
    const state = JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8')).state;
    const target = join(dir, state, 'targets', 'trusted_root.json');
    writeFileSync(target, readFileSync(target, 'utf8').replace('rekor.sigstore.dev', 'rekor.sigstore.dew'));
    const run = await runCli(verifyArgs);
    expect(printedCode(run)).toBe('TUF_CACHE_CORRUPT');
    expect(run.stderr).toMatch(/trusted_root\.json: expected sha256/);
  });

  it('falls back to the embedded root, with a warning, when the public-good cache is corrupt', async () => {
    vi.stubEnv('TUF_MIRROR', 'https://tuf-repo-cdn.sigstore.dev');
    const dir = join(tufRoot, 'tuf-repo-cdn.sigstore.dev.sigil');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'current.json'), '{"state": 1}');
    const run = await runCli([...verifyArgs, '--output', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/WARNING: the TUF cache cannot be used .*current\.json.*embedded/);
    expect(JSON.parse(run.stdout).trust).toEqual({ source: 'embedded', instance: 'production' });
    // Every command says it through its own stderr (escaped there), rekor get too, before it fails to reach a closed port.
    const rekor = await runCli(['rekor', 'get', '--rekor-url', 'http://127.0.0.1:1', '--log-index', '0']);
    expect(rekor.stderr).toMatch(/WARNING: the TUF cache cannot be used .*current\.json.*embedded/);
  });

  it('TUF_MIRROR naming another mirror with nothing cached is refused, not verified with the public-good root', async () => {
    vi.stubEnv('TUF_MIRROR', 'https://tuf.private.example');
    const run = await runCli(verifyArgs);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('TUF_NO_ANCHOR');
    expect(run.stderr).toContain(`TUF mirror https://tuf.private.example: expected its metadata in the TUF cache ${tufRoot}, found none`);
    expect(run.stderr).toContain('sigil initialize --mirror https://tuf.private.example');
    // The public-good mirror named the same way still starts from the embedded root.
    vi.stubEnv('TUF_MIRROR', 'https://tuf-repo-cdn.sigstore.dev');
    const publicGood = await runCli([...verifyArgs, '--output', 'json']);
    expect(publicGood.code, publicGood.stderr).toBe(0);
    expect(JSON.parse(publicGood.stdout).trust).toEqual({ source: 'embedded', instance: 'production' });
  });

  it('verify-npm checks registry signatures with the npm keys from TUF when --registry-keys is not given', async () => {
    mirror.serve(NEW);
    vi.setSystemTime(NEW_TIME);
    expect((await runCli(['initialize', '--mirror', mirror.url, '--root', ROOT_V5])).code).toBe(0);
    const dir = join(repoRoot, 'test-infra/fixtures/corpus/go-npm-provenance-sigstore-2.0.0');
    const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'));
    const attestations = join(tufRoot, 'attestations.json');
    const predicateType = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()).predicateType;
    writeFileSync(attestations, JSON.stringify({ attestations: [{ predicateType, bundle }] }));
    const packument = join(tufRoot, 'packument.json');
    const integrity = `sha512-${createHash('sha512').update(readFileSync(join(dir, 'artifact'))).digest('base64')}`;
    // Signed by a key npm never had: the error lists the keys TUF distributed.
    writeFileSync(packument, JSON.stringify({ versions: { '2.0.0': { dist: { integrity, signatures: [{ keyid: 'SHA256:not-an-npm-key', sig: 'MEUCIQ==' }] } } } }));
    const run = await runCli(['verify-npm', join(dir, 'artifact'), '--attestations', attestations, '--trusted-root', join(repoRoot, 'test-infra/fixtures/corpus/trusted-roots/prod.json'), '--packument', packument]);
    expect(printedCode(run)).toBe('PROVENANCE_NPM_SIGNATURE_KEY_MISSING');
    expect(run.stderr).toContain('SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA');
    expect(run.stderr).toContain('SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U');
  });

  it('signing takes its config from TUF; with the mirror down the error says how to pass one', async () => {
    const own = await StaticMirror.start();
    own.serve(NEW);
    vi.setSystemTime(NEW_TIME);
    expect((await runCli(['initialize', '--mirror', own.url, '--root', ROOT_V5])).code).toBe(0);
    await own.stop();
    const artifact = join(tufRoot, 'artifact.txt');
    writeFileSync(artifact, 'hello\n');
    const run = await runCli(['sign-blob', artifact, '--bundle', join(tufRoot, 'out.sigstore.json'), '--yes', '--identity-token', 'not.a.token']);
    expect(printedCode(run)).toBe('TUF_MIRROR_UNREACHABLE');
    expect(run.stderr).toContain('--signing-config FILE');
    expect(existsSync(join(tufRoot, 'out.sigstore.json'))).toBe(false);
  });

  it('a TUF_ROOT it cannot write is a typed error, not an internal one', async () => {
    mirror.serve(NEW);
    vi.setSystemTime(NEW_TIME);
    mkdirSync(join(tufRoot, 'remote.json'));
    const run = await runCli(['initialize', '--mirror', mirror.url, '--root', ROOT_V5]);
    expect(printedCode(run), run.stderr).toBe('TUF_CACHE_UNWRITABLE');
    expect(run.stderr).toMatch(/remote\.json/);
  });

  it('refuses --staging with --mirror, and a --root whose checksum does not match', async () => {
    expect((await runCli(['initialize', '--staging', '--mirror', mirror.url])).code).toBe(2);
    const run = await runCli(['initialize', '--mirror', mirror.url, '--root', ROOT_V5, '--root-checksum', '00'.repeat(32)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--root-checksum: expected sha256 0+ for .*5\.root\.json, found [0-9a-f]{64}/);
  });
});
