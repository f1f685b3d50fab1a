import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startGitlabApi, type GitlabApiServer } from '@sigil/gitlab-api';
import { createStack, type Stack } from '@sigil/stack';
import { printedCode, runCli, type CliRun } from './run-cli.js';

// sign-blob --key and attest-blob --key against the local stack, verified with verify-blob
// --key: a file key, an env:// key and a gitlab:// key (the loopback GitLab variables API);
// wrong key, wrong password and tampered artifact are typed errors; no secret is printed.
const PASSWORD = 'Key.Signing~Password-7';
const TOKEN = 'glpat-key-signing-token';
let dir: string;
let stack: Stack;
let gitlab: GitlabApiServer;
let artifact: string;
let prefix: string;
const savedIsTTY = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-key-signing-'));
  stack = await createStack({ dir: join(dir, 'stack') });
  gitlab = await startGitlabApi({ projects: { 'acme/app': 42 }, tokens: { [TOKEN]: 'maintainer' } });
  artifact = join(dir, 'artifact.txt');
  writeFileSync(artifact, 'a release signed with a long-lived key\n');
  prefix = join(dir, 'release');
  Object.defineProperty(process.stdin, 'isTTY', { value: undefined, configurable: true });
  vi.stubEnv('COSIGN_PASSWORD', PASSWORD);
  expect((await runCli(['generate-key-pair', '--output-key-prefix', prefix])).code).toBe(0);
  vi.unstubAllEnvs();
}, 60_000);
afterAll(async () => {
  if (savedIsTTY) Object.defineProperty(process.stdin, 'isTTY', savedIsTTY);
  else delete (process.stdin as { isTTY?: boolean }).isTTY;
  await gitlab?.close();
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  vi.stubEnv('COSIGN_PASSWORD', PASSWORD);
  vi.stubEnv('GITLAB_HOST', gitlab.url);
  vi.stubEnv('GITLAB_TOKEN', TOKEN);
  for (const name of ['SIGIL_SIGNING_CONFIG', 'SIGIL_TRUSTED_ROOT', 'COSIGN_YES', 'SIGIL_YES']) vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Runs sigil; no password, token or private key ever shows in what it prints. */
async function sigil(args: string[]): Promise<CliRun> {
  const run = await runCli(args);
  const key = readFileSync(`${prefix}.key`, 'utf8').split('\n')[1]!;
  for (const out of [run.stdout, run.stderr]) {
    expect(out).not.toContain(PASSWORD);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(key);
    expect(out).not.toContain('PRIVATE KEY');
  }
  return run;
}

const services = () => ['--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot];
const signBlob = (key: string, bundle: string, ...flags: string[]) => sigil(['sign-blob', artifact, '--key', key, '--bundle', bundle, '--yes', ...services(), ...flags]);
const verifyBlob = (file: string, key: string, bundle: string, ...flags: string[]) => sigil(['verify-blob', file, '--key', key, '--bundle', bundle, '--trusted-root', stack.trustedRoot, ...flags]);

describe('sign-blob --key, verify-blob --key', () => {
  it('a file key: the bundle holds the key hint, a log entry and a timestamp; wrong key, tampered artifact and wrong password fail typed', async () => {
    const bundle = join(dir, 'file.sigstore.json');
    const signature = join(dir, 'file.sig');
    const signed = await signBlob(`${prefix}.key`, bundle, '--output-signature', signature);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stderr).toMatch(/Signed with key \S+ \(sha256 of the public key/);
    expect(signed.stderr).toMatch(/tlog entry created with index: \d+/);
    const written = JSON.parse(readFileSync(bundle, 'utf8'));
    expect(written.verificationMaterial.publicKey.hint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(written.verificationMaterial.tlogEntries).toHaveLength(1);
    expect(written.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
    expect(readFileSync(signature, 'utf8')).toBe(written.messageSignature.signature);

    const ok = await verifyBlob(artifact, `${prefix}.pub`, bundle);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe('Verified OK\n');

    const otherPrefix = join(dir, 'other');
    expect((await runCli(['generate-key-pair', '--output-key-prefix', otherPrefix])).code).toBe(0);
    const wrongKey = await verifyBlob(artifact, `${otherPrefix}.pub`, bundle);
    expect(wrongKey.code).toBe(1);
    expect(printedCode(wrongKey)).toMatch(/^VERIFY_/);

    const tampered = join(dir, 'tampered.txt');
    writeFileSync(tampered, 'a release signed with a long-lived key!\n');
    const bad = await verifyBlob(tampered, `${prefix}.pub`, bundle);
    expect(bad.code).toBe(1);
    expect(printedCode(bad)).toMatch(/^VERIFY_/);

    vi.stubEnv('COSIGN_PASSWORD', 'not the password');
    const wrongPassword = await signBlob(`${prefix}.key`, join(dir, 'never.json'));
    expect(printedCode(wrongPassword)).toBe('KEYS_WRONG_PASSWORD');
    expect(wrongPassword.stderr).not.toContain('not the password');
    // The key is read before the signing config is sought through TUF: offline, with no mirror
    // to reach, the wrong password is still what is reported.
    vi.stubEnv('TUF_ROOT', mkdtempSync(join(dir, 'tuf-')));
    vi.stubEnv('TUF_MIRROR', 'http://127.0.0.1:1');
    const offline = await sigil(['sign-blob', artifact, '--bundle', join(dir, 'never.json'), '--key', `${prefix}.key`, '--yes']);
    expect(printedCode(offline)).toBe('KEYS_WRONG_PASSWORD');
  }, 60_000);

  it('an env:// key signs, and env:// holds the public key to verify with', async () => {
    vi.stubEnv('RELEASE_PRIVATE_KEY', readFileSync(`${prefix}.key`, 'utf8'));
    vi.stubEnv('RELEASE_PUBLIC_KEY', readFileSync(`${prefix}.pub`, 'utf8'));
    const bundle = join(dir, 'env.sigstore.json');
    const signed = await signBlob('env://RELEASE_PRIVATE_KEY', bundle);
    expect(signed.code, signed.stderr).toBe(0);
    const ok = await verifyBlob(artifact, 'env://RELEASE_PUBLIC_KEY', bundle);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await verifyBlob(artifact, 'env://UNSET_KEY_VARIABLE', bundle)).stderr).toContain('env://UNSET_KEY_VARIABLE: the environment variable is not set');
  }, 60_000);

  it('a gitlab:// key: generate-key-pair stores it, sign-blob and verify-blob read it (the password from the project too)', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect((await sigil(['generate-key-pair', 'gitlab://acme/app'])).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    vi.stubEnv('COSIGN_PASSWORD', undefined);
    const bundle = join(dir, 'gitlab.sigstore.json');
    const signed = await signBlob('gitlab://acme/app', bundle);
    expect(signed.code, signed.stderr).toBe(0);
    const ok = await verifyBlob(artifact, 'gitlab://42', bundle);
    expect(ok.code, ok.stderr).toBe(0);
    // Signed with the project's key, not the file key.
    expect(printedCode(await verifyBlob(artifact, `${prefix}.pub`, bundle))).toMatch(/^VERIFY_/);
    vi.stubEnv('GITLAB_TOKEN', 'glpat-not-a-token');
    const refused = await sigil(['verify-blob', artifact, '--key', 'gitlab://acme/app', '--bundle', bundle, '--trusted-root', stack.trustedRoot]);
    expect(refused.code).not.toBe(0);
    expect(printedCode(refused)).toMatch(/^CI_GITLAB_/);
    expect(refused.stderr).not.toContain('glpat-not-a-token');
  }, 60_000);

  it('--tlog-upload=false: with a key and the TSA a timestamped bundle without a log entry; without a TSA, or without a key, refused', async () => {
    const bundle = join(dir, 'no-tlog.sigstore.json');
    const signed = await signBlob(`${prefix}.key`, bundle, '--tlog-upload=false');
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stderr).toContain('no tlog entry (--tlog-upload=false)');
    const written = JSON.parse(readFileSync(bundle, 'utf8'));
    expect(written.verificationMaterial.tlogEntries).toEqual([]);
    expect(written.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);

    const noTsa = await sigil(['sign-blob', artifact, '--key', `${prefix}.key`, '--bundle', join(dir, 'x.json'), '--rekor-url', stack.rekorURL, '--trusted-root', stack.trustedRoot, '--tlog-upload=false']);
    expect(printedCode(noTsa)).toBe('SIGN_OPTIONS_INVALID');
    expect(noTsa.stderr).toContain('expected a timestamp authority, found none');
    const keyless = await sigil(['sign-blob', artifact, '--bundle', join(dir, 'x.json'), ...services(), '--tlog-upload=false']);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain('--tlog-upload=false: keyless signatures without a log entry');
  }, 60_000);
});

describe('attest-blob --key, verify-blob-attestation --key', () => {
  it('a statement signed with the key verifies with its public key and not with another; a certificate for the key is refused by name', async () => {
    const predicate = join(dir, 'predicate.json');
    writeFileSync(predicate, JSON.stringify({ built: 'by hand' }));
    const bundle = join(dir, 'att.sigstore.json');
    const attested = await sigil(['attest-blob', artifact, '--key', `${prefix}.key`, '--predicate', predicate, '--type', 'custom', '--bundle', bundle, '--yes', ...services()]);
    expect(attested.code, attested.stderr).toBe(0);
    expect(attested.stderr).toMatch(/Attested .* with key/);
    const verify = (key: string) =>
      sigil(['verify-blob-attestation', artifact, '--key', key, '--bundle', bundle, '--type', 'custom', '--trusted-root', stack.trustedRoot]);
    const ok = await verify(`${prefix}.pub`);
    expect(ok.code, ok.stderr).toBe(0);
    vi.stubEnv('ATTESTER_KEY', readFileSync(`${prefix}.pub`, 'utf8'));
    expect((await verify('env://ATTESTER_KEY')).code).toBe(0);
    expect(printedCode(await verify(join(dir, 'other.pub')))).toMatch(/^VERIFY_/);

    const withCertificate = await sigil(['attest-blob', artifact, '--key', `${prefix}.key`, '--certificate', 'c.pem', '--predicate', predicate, '--bundle', bundle]);
    expect(withCertificate.code).toBe(2);
    expect(withCertificate.stderr).toContain('--certificate');
  }, 60_000);
});

describe('opt-outs, loudly', () => {
  it('a bundle without a log entry verifies only with --insecure-ignore-tlog (or --private-infrastructure), which warns and says so in JSON', async () => {
    const bundle = join(dir, 'opt-out.sigstore.json');
    expect((await signBlob(`${prefix}.key`, bundle, '--tlog-upload=false')).code).toBe(0);
    const strict = await verifyBlob(artifact, `${prefix}.pub`, bundle, '--output', 'json');
    expect(printedCode(strict)).toBe('VERIFY_TLOG_MISSING');
    expect(strict.stderr).not.toContain('WARNING');

    for (const flag of ['--insecure-ignore-tlog', '--private-infrastructure']) {
      const lax = await verifyBlob(artifact, `${prefix}.pub`, bundle, flag, '--output', 'json');
      expect(lax.code, lax.stderr).toBe(0);
      expect(lax.stderr).toContain(`WARNING: ${flag}: the transparency log was not checked`);
      const json = JSON.parse(lax.stdout);
      expect(json.skipped).toEqual(['transparency log']);
      expect(json.timestamps.map((t: { kind: string }) => t.kind)).toEqual(['rfc3161']);
    }

    // Without the timestamp as well: a key needs no time once the log is waived (cosign's
    // WithNoObserverTimestamps), but not without the opt-out, nor with --use-signed-timestamps.
    const bare = JSON.parse(readFileSync(bundle, 'utf8'));
    delete bare.verificationMaterial.timestampVerificationData;
    const barePath = join(dir, 'bare.sigstore.json');
    writeFileSync(barePath, JSON.stringify(bare));
    expect(printedCode(await verifyBlob(artifact, `${prefix}.pub`, barePath))).toBe('VERIFY_TLOG_MISSING');
    const keyOnly = await verifyBlob(artifact, `${prefix}.pub`, barePath, '--insecure-ignore-tlog', '--output', 'json');
    expect(keyOnly.code, keyOnly.stderr).toBe(0);
    expect(JSON.parse(keyOnly.stdout).timestamps).toEqual([]);
    expect(printedCode(await verifyBlob(artifact, `${prefix}.pub`, barePath, '--insecure-ignore-tlog', '--use-signed-timestamps'))).toBe('VERIFY_TIMESTAMP_MISSING');
    // The opt-out waives the log, not the signature.
    const tampered = join(dir, 'tampered-2.txt');
    writeFileSync(tampered, 'not the release\n');
    expect(printedCode(await verifyBlob(tampered, `${prefix}.pub`, barePath, '--insecure-ignore-tlog'))).toMatch(/^VERIFY_/);
  }, 60_000);

  it('without opt-outs nothing is skipped', async () => {
    const bundle = join(dir, 'full.sigstore.json');
    expect((await signBlob(`${prefix}.key`, bundle)).code).toBe(0);
    const run = await verifyBlob(artifact, `${prefix}.pub`, bundle, '--output', 'json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).skipped).toEqual([]);
    expect(run.stderr).not.toContain('WARNING');
  }, 60_000);
});
