import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preAuthEncoding } from '@sigil/bundle';
import { createStack, type Stack } from '@sigil/stack';
import { printedCode, runCli, tokenIdentity } from './run-cli.js';

// What verification reports must be what it verified, against bundles the local stack made:
// a blob signature re-wrapped as an attestation, a Rekor v1 entry without its SET, an
// attestation given to verify-blob, and a bundle with an integrated time no date can hold.
const work = mkdtempSync(join(tmpdir(), 'sigil-verified-fields-'));
const artifact = join(work, 'report.txt');
const IN_TOTO = 'application/vnd.in-toto+json';
let stack: Stack;
let identity: string;

beforeAll(async () => {
  writeFileSync(artifact, 'a release artifact\n');
  stack = await createStack({ dir: join(work, 'stack') });
  identity = tokenIdentity(await stack.mintToken());
}, 60_000);
afterAll(async () => {
  await stack?.close();
  rmSync(work, { recursive: true, force: true });
});

const trust = () => ['--trusted-root', stack.trustedRoot];
const policy = () => ['--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer, ...trust()];
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

async function signBlob(file: string, bundle: string): Promise<any> {
  const run = await runCli(['sign-blob', file, '--bundle', bundle, '--signing-config', stack.signingConfig, ...trust(), '--identity-token', await stack.mintToken(), '--yes']);
  expect(run.code, run.stderr).toBe(0);
  return readJson(bundle);
}

async function attestBlob(bundle: string): Promise<void> {
  const predicate = join(work, 'vuln.json');
  writeFileSync(predicate, JSON.stringify({ scanner: { uri: 'pkg:github/aquasecurity/trivy' }, result: 'no findings' }));
  const run = await runCli(['attest-blob', artifact, '--predicate', predicate, '--type', 'vuln', '--bundle', bundle, '--signing-config', stack.signingConfig, ...trust(), '--identity-token', await stack.mintToken(), '--yes']);
  expect(run.code, run.stderr).toBe(0);
}

describe('a Rekor v1 blob signature does not stand in for an attestation', () => {
  it('hashedrekord 0.0.1 over the PAE, re-wrapped as DSSE: VERIFY_TLOG_KIND_MISMATCH', async () => {
    const digest = createHash('sha256').update(readFileSync(artifact)).digest('hex');
    const statement = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'report.txt', digest: { sha256: digest } }], predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1', predicate: {} }));
    // Anyone may sign bytes that happen to be a PAE; the log records a plain blob signature.
    const pae = join(work, 'pae.bin');
    writeFileSync(pae, preAuthEncoding(IN_TOTO, statement));
    const blob = await signBlob(pae, join(work, 'pae.sigstore.json'));
    expect(blob.verificationMaterial.tlogEntries[0].kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.1' });

    const { messageSignature, ...rest } = blob;
    const rewrapped = join(work, 'rewrapped.sigstore.json');
    writeFileSync(rewrapped, JSON.stringify({ ...rest, dsseEnvelope: { payload: statement.toString('base64'), payloadType: IN_TOTO, signatures: [{ sig: messageSignature.signature, keyid: '' }] } }));

    const run = await runCli(['verify-blob-attestation', artifact, '--bundle', rewrapped, '--type', 'vuln', ...policy()]);
    expect(printedCode(run)).toBe('VERIFY_TLOG_KIND_MISMATCH');
    expect(run.stderr).toContain('a DSSE bundle needs a dsse or intoto entry (or Rekor v2\'s hashedrekord 0.0.2), found hashedrekord 0.0.1');
    expect(printedCode(await runCli(['verify-blob', artifact, '--bundle', rewrapped, ...policy()]))).toBe('VERIFY_TLOG_KIND_MISMATCH');
  });
});

describe('--output json reports verified fields only', () => {
  it('a Rekor v1 entry without its SET (time from RFC 3161): no logIndex, the proof\'s index', async () => {
    const bundle = await signBlob(artifact, join(work, 'signed.sigstore.json'));
    expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
    const entry = bundle.verificationMaterial.tlogEntries[0];
    const proofIndex = entry.inclusionProof.logIndex;
    delete entry.inclusionPromise;
    entry.logIndex = '987654321'; // nothing signs it any more
    const edited = join(work, 'no-set.sigstore.json');
    writeFileSync(edited, JSON.stringify(bundle));

    const run = await runCli(['verify-blob', artifact, '--bundle', edited, ...policy(), '--output', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(run.stdout).not.toContain('987654321');
    expect(result.logIndex).toBeUndefined();
    expect(result.integratedTime).toBeUndefined();
    expect(result.tlogEntries).toEqual([{ inclusionProofIndex: String(proofIndex), logUrl: expect.any(String), kind: 'hashedrekord/0.0.1' }]);
  });

  it('with its SET, the entry\'s logIndex and integrated time', async () => {
    const run = await runCli(['verify-blob', artifact, '--bundle', join(work, 'signed.sigstore.json'), ...policy(), '--output', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.logIndex).toMatch(/^\d+$/);
    expect(result.tlogEntries[0]).toMatchObject({ logIndex: result.logIndex, inclusionProofIndex: expect.stringMatching(/^\d+$/), integratedTime: result.integratedTime });
    expect(result.attestation).toBe(false);
  });
});

describe('verify-blob on an attestation', () => {
  it('verifies, as cosign does, but warns with the predicate type and marks the JSON result', async () => {
    const bundle = join(work, 'vuln.sigstore.json');
    await attestBlob(bundle);
    const run = await runCli(['verify-blob', artifact, '--bundle', bundle, ...policy(), '--output', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('WARNING: the bundle is an attestation (predicate type https://cosign.sigstore.dev/attestation/vuln/v1) that names this file, not a signature over it');
    expect(run.stderr).toMatch(/Verified OK\n$/);
    const result = JSON.parse(run.stdout);
    expect(result.attestation).toBe(true);
    expect(result.statement.predicateType).toBe('https://cosign.sigstore.dev/attestation/vuln/v1');
  });
});

describe('integrated times no date can hold', () => {
  it('inspect and verify-blob refuse them with a typed error, not "Invalid time value"', async () => {
    const bundle = readJson(join(work, 'signed.sigstore.json'));
    bundle.verificationMaterial.tlogEntries[0].integratedTime = '9007199254740991';
    const edited = join(work, 'far-future.sigstore.json');
    writeFileSync(edited, JSON.stringify(bundle));
    for (const args of [['inspect', edited], ['verify-blob', artifact, '--bundle', edited, ...policy()]]) {
      const run = await runCli(args);
      expect(run.stderr).not.toContain('internal error');
      expect(printedCode(run)).toBe('BUNDLE_INVALID_FIELD');
      expect(run.stderr).toContain('verificationMaterial.tlogEntries[0].integratedTime: expected Unix seconds up to 253402300799 (9999-12-31), found 9007199254740991');
    }
  });
});
