import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, type Stack } from '@sigil/stack';
import { printedCode, repoRoot, runCli } from './run-cli.js';

// The conformance protocol's sign-bundle against the local stack, arguments in the order the
// suite passes them, then its verify-bundle with the token's identity and the stack's root.
const dir = mkdtempSync(join(tmpdir(), 'sigil-sign-bundle-'));
const artifact = join(dir, 'a.txt');
const content = 'signed through the conformance protocol\n';
const artifactSha256 = createHash('sha256').update(content).digest('hex');
let stack: Stack;
let identity: string;
let issuer: string;
let counter = 0;

beforeAll(async () => {
  stack = await createStack({ dir: join(dir, 'stack') });
  writeFileSync(artifact, content);
  const claims = JSON.parse(Buffer.from((await stack.mintToken()).split('.')[1]!, 'base64url').toString());
  identity = `https://${claims.ci_config_ref_uri}`;
  issuer = claims.iss;
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const freshBundle = () => join(dir, `bundle-${++counter}.sigstore.json`);

async function signBundle(file: string, bundle: string, { inToto = false, staging = false, token = undefined as string | undefined, trustedRoot = undefined as string | undefined } = {}) {
  return runCli([
    'sign-bundle',
    ...(staging ? ['--staging'] : []),
    ...(inToto ? ['--in-toto'] : []),
    '--identity-token', token ?? (await stack.mintToken()),
    '--bundle', bundle,
    '--trusted-root', trustedRoot ?? stack.trustedRoot,
    '--signing-config', stack.signingConfig,
    file,
  ]);
}

const verifyBundle = (bundle: string, fileOrDigest: string, who = identity) =>
  runCli(['verify-bundle', '--bundle', bundle, '--certificate-identity', who, '--certificate-oidc-issuer', issuer, '--trusted-root', stack.trustedRoot, fileOrDigest]);

describe('sign-bundle then verify-bundle', () => {
  it('signs a file with Fulcio, Rekor and the TSA of the signing config; verify-bundle accepts it for the signer only', async () => {
    const bundle = freshBundle();
    const signed = await signBundle(artifact, bundle);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stderr).toContain(`Signed as ${identity}`);
    const json = JSON.parse(readFileSync(bundle, 'utf8'));
    expect(json.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(json.verificationMaterial.tlogEntries[0].kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.1' });
    expect(json.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);

    const ok = await verifyBundle(bundle, artifact);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await verifyBundle(bundle, `sha256:${artifactSha256}`)).code).toBe(0);
    const other = await verifyBundle(bundle, artifact, identity.replace('my-project', 'other-project'));
    expect(other.code).toBe(1);
    expect(printedCode(other)).toBe('POLICY_IDENTITY_MISMATCH');
  });

  it('--in-toto signs the statement as a DSSE attestation (a dsse entry); verify-bundle accepts it for a subject and the signer only', async () => {
    const statement = join(dir, 'statement.json');
    writeFileSync(
      statement,
      JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a.txt', digest: { sha256: artifactSha256 } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} }),
    );
    const bundle = freshBundle();
    const signed = await signBundle(statement, bundle, { inToto: true });
    expect(signed.code, signed.stderr).toBe(0);
    const json = JSON.parse(readFileSync(bundle, 'utf8'));
    expect(json.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(Buffer.from(json.dsseEnvelope.payload, 'base64').toString()).toBe(readFileSync(statement, 'utf8'));
    expect(json.verificationMaterial.tlogEntries[0].kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });

    expect((await verifyBundle(bundle, artifact)).code).toBe(0);
    expect((await verifyBundle(bundle, `sha256:${artifactSha256}`)).code).toBe(0);
    const other = await verifyBundle(bundle, artifact, identity.replace('my-project', 'other-project'));
    expect(printedCode(other)).toBe('POLICY_IDENTITY_MISMATCH');
    const otherArtifact = await verifyBundle(bundle, `sha256:${'0'.repeat(64)}`);
    expect(printedCode(otherArtifact)).toBe('VERIFY_ARTIFACT_MISMATCH');
  });

  it('signs a sha512-only statement (npm subjects) and verifies it against the artifact', async () => {
    const statement = join(dir, 'npm-statement.json');
    const sha512 = createHash('sha512').update(content).digest('hex');
    writeFileSync(statement, JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', subject: [{ name: 'pkg:npm/a@1.0.0', digest: { sha512 } }], predicateType: 'https://slsa.dev/provenance/v0.2', predicate: {} }));
    const bundle = freshBundle();
    expect((await signBundle(statement, bundle, { inToto: true })).code).toBe(0);
    expect((await verifyBundle(bundle, artifact)).code).toBe(0);
  });

  it('with --staging, an explicit trusted root and signing config still name the instance', async () => {
    const bundle = freshBundle();
    const signed = await signBundle(artifact, bundle, { staging: true });
    expect(signed.code, signed.stderr).toBe(0);
    expect((await verifyBundle(bundle, artifact)).code).toBe(0);
  });
});

describe('sign-bundle refusals: a typed error, and no bundle written', () => {
  it('a certificate that does not chain to the trusted root given', async () => {
    const bundle = freshBundle();
    const run = await signBundle(artifact, bundle, { trustedRoot: join(repoRoot, 'test-infra/fixtures/corpus/trusted-roots/prod.json') });
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('SIGN_CERTIFICATE_UNTRUSTED');
    expect(existsSync(bundle)).toBe(false);
  });

  it('an expired token, before Fulcio is asked', async () => {
    const bundle = freshBundle();
    const token = await stack.mintToken({ issuedAt: new Date(Date.now() - 3600_000), expiresIn: 300 });
    const run = await signBundle(artifact, bundle, { token });
    expect(printedCode(run)).toBe('OIDC_EXPIRED');
    expect(existsSync(bundle)).toBe(false);
  });

  it('--in-toto with a file that is not an in-toto statement', async () => {
    const notStatement = join(dir, 'not-a-statement.json');
    writeFileSync(notStatement, '{"hello":"world"}');
    const bundle = freshBundle();
    const run = await signBundle(notStatement, bundle, { inToto: true });
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('BUNDLE_INVALID_STATEMENT');
    expect(existsSync(bundle)).toBe(false);
  });

  it('--in-toto with a statement whose subjects carry no SHA-2 digest a verifier could match', async () => {
    const statement = join(dir, 'sha1-statement.json');
    writeFileSync(statement, JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'x', digest: { sha1: 'ab'.repeat(20) } }], predicateType: 'p', predicate: {} }));
    const bundle = freshBundle();
    const run = await signBundle(statement, bundle, { inToto: true });
    expect(printedCode(run)).toBe('SIGN_OPTIONS_INVALID');
    expect(existsSync(bundle)).toBe(false);
  });

  it('a file that does not exist', async () => {
    const run = await signBundle(join(dir, 'missing.txt'), freshBundle());
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('CLI_FILE_UNREADABLE');
    expect(printedCode(await signBundle(join(dir, 'missing.json'), freshBundle(), { inToto: true }))).toBe('CLI_FILE_UNREADABLE');
  });

  it.each([
    ['no file', ['--bundle', 'x.json', '--identity-token', 'a.b.c']],
    ['two files', ['--bundle', 'x.json', '--identity-token', 'a.b.c', 'a', 'b']],
    ['no --bundle', ['--identity-token', 'a.b.c', 'a.txt']],
    ['no --identity-token', ['--bundle', 'x.json', 'a.txt']],
    ['a digest instead of a file', ['--bundle', 'x.json', '--identity-token', 'a.b.c', `sha256:${'a'.repeat(64)}`]],
    ['an unknown flag', ['--bundle', 'x.json', '--key', 'k.pem', 'a.txt']],
  ])('usage: %s', async (_, args) => {
    const run = await runCli(['sign-bundle', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: sigil sign-bundle');
  });
});
