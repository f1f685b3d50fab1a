import { generateKeyPairSync, sign as nodeSign, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestImage, startOciRegistry, type OciRegistry } from '@sigil/registry';
import { createStack, type Stack } from '@sigil/stack';
import { printedCode, repoRoot, runCli, withProcessEnv, tokenIdentity } from './run-cli.js';

// Attestations through the CLI as users run them: files (attest-blob, verify-blob-attestation),
// images (attest, verify-attestation) against the local stack and registry, GitLab provenance
// (provenance generate), and npm provenance of real packages (verify-npm).
const work = mkdtempSync(join(tmpdir(), 'sigil-attest-'));
const artifact = join(work, 'app.tar.gz');
let stack: Stack;
let registry: OciRegistry;
let identity: string;

const GITLAB_JOB: Record<string, string> = {
  GITLAB_CI: 'true',
  CI_SERVER_URL: 'https://gitlab.com',
  CI_PROJECT_PATH: 'my-group/my-project',
  CI_PROJECT_URL: 'https://gitlab.com/my-group/my-project',
  CI_COMMIT_SHA: '5b9a5e1d3c0f4e7a8b2c6d1e0f9a8b7c6d5e4f3a',
  CI_COMMIT_REF_NAME: 'main',
  CI_COMMIT_BRANCH: 'main',
  CI_CONFIG_PATH: '.gitlab-ci.yml',
  CI_JOB_ID: '4242',
  CI_JOB_NAME: 'build',
  CI_JOB_URL: 'https://gitlab.com/my-group/my-project/-/jobs/4242',
  CI_PIPELINE_ID: '777',
  CI_RUNNER_ID: '12270831',
  CI_RUNNER_DESCRIPTION: 'shared runner',
  CI_JOB_STARTED_AT: '2026-11-26T01:00:00Z',
};

beforeAll(async () => {
  writeFileSync(artifact, 'release artifact bytes\n');
  stack = await createStack({ dir: join(work, 'stack') });
  registry = await startOciRegistry();
  identity = tokenIdentity(await stack.mintToken());
  process.env.SIGIL_SIGNING_CONFIG = stack.signingConfig;
  process.env.SIGIL_TRUSTED_ROOT = stack.trustedRoot;
  process.env.SIGIL_YES = 'true';
}, 60_000);
afterAll(async () => {
  for (const name of ['SIGIL_SIGNING_CONFIG', 'SIGIL_TRUSTED_ROOT', 'SIGIL_YES']) delete process.env[name];
  await registry?.close();
  await stack?.close();
});

const policy = () => ['--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer];

const withEnv = withProcessEnv;

describe('provenance generate, attest-blob, verify-blob-attestation', () => {
  const predicate = join(work, 'provenance.json');
  const bundle = join(work, 'app.intoto.sigstore.json');

  beforeAll(async () => {
    const generated = await withEnv(GITLAB_JOB, () => runCli(['provenance', 'generate', artifact, '--output', predicate]));
    expect(generated.code, generated.stderr).toBe(0);
    const signed = await runCli(['attest-blob', artifact, '--predicate', predicate, '--type', 'slsaprovenance1', '--bundle', bundle, '--identity-token', await stack.mintToken()]);
    expect(signed.code, signed.stderr).toBe(0);
  }, 60_000);

  it('writes the SLSA v1 predicate of this GitLab job', () => {
    const written = JSON.parse(readFileSync(predicate, 'utf8'));
    expect(written.buildDefinition.buildType).toContain('gitlab');
    expect(written.runDetails.metadata.invocationId).toBe(GITLAB_JOB.CI_JOB_URL);
  });

  it('refuses to generate outside a GitLab job', async () => {
    const run = await withEnv({ GITLAB_CI: '', CI_PROJECT_PATH: '', CI_SERVER_URL: '' }, () => runCli(['provenance', 'generate', artifact]));
    expect(printedCode(run)).toBe('PROVENANCE_ENV_MISSING');
  });

  it('verifies the attestation with the signer identity and the type', async () => {
    const verified = await runCli(['verify-blob-attestation', artifact, '--bundle', bundle, '--type', 'slsaprovenance1', ...policy(), '--output', 'json']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout).statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    const byUri = await runCli(['verify-blob-attestation', artifact, '--bundle', bundle, '--type', 'https://slsa.dev/provenance/v1', ...policy()]);
    expect(byUri.code, byUri.stderr).toBe(0);
  });

  it('fails for another type, another identity, and another artifact', async () => {
    expect(printedCode(await runCli(['verify-blob-attestation', artifact, '--bundle', bundle, '--type', 'slsaprovenance', ...policy()]))).toBe('CLI_ATTESTATION_MISMATCH');
    const other = await runCli(['verify-blob-attestation', artifact, '--bundle', bundle, '--type', 'slsaprovenance1', '--certificate-identity', `${identity}x`, '--certificate-oidc-issuer', stack.oidcIssuer]);
    expect(printedCode(other)).toBe('POLICY_IDENTITY_MISMATCH');
    const tampered = join(work, 'tampered.tar.gz');
    writeFileSync(tampered, 'release artifact bytes!\n');
    expect(printedCode(await runCli(['verify-blob-attestation', tampered, '--bundle', bundle, '--type', 'slsaprovenance1', ...policy()]))).toBe('VERIFY_ARTIFACT_MISMATCH');
  });

  it('fails for a tampered DSSE payload', async () => {
    const json = JSON.parse(readFileSync(bundle, 'utf8'));
    const statement = JSON.parse(Buffer.from(json.dsseEnvelope.payload, 'base64').toString());
    statement.predicate.runDetails.builder.id = 'https://attacker.example/runner';
    json.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    const tampered = join(work, 'tampered.intoto.sigstore.json');
    writeFileSync(tampered, JSON.stringify(json));
    expect(printedCode(await runCli(['verify-blob-attestation', artifact, '--bundle', tampered, '--type', 'slsaprovenance1', ...policy()]))).toMatch(/^VERIFY_(SIGNATURE_INVALID|TLOG_BODY_MISMATCH)$/);
  });

  it("cosign's --digest/--digestAlg instead of the artifact, and --check-claims=false (the signature only, said on stderr)", async () => {
    const digest = createHash('sha256').update(readFileSync(artifact)).digest('hex');
    const byDigest = await runCli(['verify-blob-attestation', '--digest', digest, '--digestAlg', 'sha256', '--bundle', bundle, '--type', 'slsaprovenance1', ...policy()]);
    expect(byDigest.code, byDigest.stderr).toBe(0);
    const wrongDigest = await runCli(['verify-blob-attestation', '--digest', 'ab'.repeat(32), '--bundle', bundle, '--type', 'slsaprovenance1', ...policy()]);
    expect(printedCode(wrongDigest)).toBe('VERIFY_ARTIFACT_MISMATCH');
    const noClaims = await runCli(['verify-blob-attestation', '--check-claims=false', '--bundle', bundle, '--type', 'slsaprovenance1', ...policy()]);
    expect(noClaims.code, noClaims.stderr).toBe(0);
    expect(noClaims.stderr).toContain('WARNING: --check-claims=false');
    const noClaimsJson = await runCli(['verify-blob-attestation', '--check-claims=false', '--bundle', bundle, '--type', 'slsaprovenance1', '--output', 'json', ...policy()]);
    expect(noClaimsJson.code, noClaimsJson.stderr).toBe(0);
    expect(noClaimsJson.stderr).toMatch(/^WARNING: --check-claims=false: the statement's subjects were not compared with any artifact$/m);
    expect(JSON.parse(noClaimsJson.stdout).skipped).toEqual(['artifact claims (subjects)']);
    // With --digest the subjects are still compared: nothing skipped.
    const claimsByDigest = await runCli(['verify-blob-attestation', '--check-claims=false', '--digest', digest, '--bundle', bundle, '--type', 'slsaprovenance1', '--output', 'json', ...policy()]);
    expect(claimsByDigest.code, claimsByDigest.stderr).toBe(0);
    expect(JSON.parse(claimsByDigest.stdout).skipped).toEqual([]);
    expect((await runCli(['verify-blob-attestation', '--bundle', bundle, '--type', 'slsaprovenance1', ...policy()])).code).toBe(2);
  });

  it('attest-blob with --hash instead of reading the artifact, and with a whole --statement from stdin', async () => {
    const digest = createHash('sha256').update(readFileSync(artifact)).digest('hex');
    const hashed = join(work, 'hashed.json');
    const run = await runCli(['attest-blob', join(work, 'not-read.tar.gz'), '--hash', digest, '--predicate', predicate, '--type', 'slsaprovenance1', '--bundle', hashed, '--identity-token', await stack.mintToken()]);
    expect(run.code, run.stderr).toBe(0);
    expect((await runCli(['verify-blob-attestation', artifact, '--bundle', hashed, '--type', 'slsaprovenance1', ...policy()])).code).toBe(0);
    const statement = join(work, 'statement.json');
    writeFileSync(statement, JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'app.tar.gz', digest: { sha256: digest } }], predicateType: 'https://example.com/review/v1', predicate: { ok: true } }));
    const fromStatement = join(work, 'statement.sigstore.json');
    const signed = await runCli(['attest-blob', artifact, '--statement', statement, '--bundle', fromStatement, '--identity-token', await stack.mintToken()]);
    expect(signed.code, signed.stderr).toBe(0);
    expect((await runCli(['verify-blob-attestation', artifact, '--bundle', fromStatement, '--type', 'https://example.com/review/v1', ...policy()])).code).toBe(0);
    const otherArtifact = join(work, 'other.bin');
    writeFileSync(otherArtifact, 'other\n');
    expect((await runCli(['attest-blob', otherArtifact, '--statement', statement, '--bundle', join(work, 'never2.json'), '--identity-token', await stack.mintToken()])).code).toBe(2);
  });

  it('inspect shows the subjects, predicate type and builder of the attestation', async () => {
    const shown = await runCli(['inspect', bundle]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Predicate type:    https://slsa.dev/provenance/v1');
    expect(shown.stdout).toMatch(/Subject: app\.tar\.gz sha256:[0-9a-f]{64}/);
    expect(shown.stdout).toContain(`Builder:           ${GITLAB_JOB.CI_PROJECT_URL}/-/runners/${GITLAB_JOB.CI_RUNNER_ID}`);
    expect(shown.stdout).toContain(`Source:            ${GITLAB_JOB.CI_PROJECT_URL}`);
  });

  it('refuses an unknown --type and a predicate that is not JSON', async () => {
    expect((await runCli(['attest-blob', artifact, '--predicate', predicate, '--type', 'not a type', '--bundle', bundle])).code).toBe(2);
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{not json');
    const run = await runCli(['attest-blob', artifact, '--predicate', bad, '--type', 'slsaprovenance1', '--bundle', join(work, 'never.json'), '--identity-token', await stack.mintToken()]);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('ENCODING_INVALID_JSON');
  });
});

describe('attest and verify-attestation for images', () => {
  let image: string;
  const registryFlags = () => ['--allow-insecure-registry'];

  beforeAll(async () => {
    const test = buildTestImage({ content: 'attested image\n' });
    const ref = `${registry.host}/team/attested`;
    for (const blob of [test.layer.bytes, test.config.bytes]) {
      const upload = await fetch(`${registry.url}/v2/team/attested/blobs/uploads/?digest=sha256:${createHash('sha256').update(blob).digest('hex')}`, { method: 'POST', body: blob });
      expect(upload.status).toBe(201);
    }
    const put = await fetch(`${registry.url}/v2/team/attested/manifests/v1`, { method: 'PUT', body: test.manifest, headers: { 'content-type': test.mediaType } });
    expect(put.status).toBe(201);
    image = `${ref}:v1`;
  });

  it('attests an image and verifies the attestation by type, not its plain signature', async () => {
    const predicate = join(work, 'image-predicate.json');
    writeFileSync(predicate, JSON.stringify({ scanner: 'none', result: 'clean' }));
    expect((await runCli(['verify-attestation', image, '--type', 'custom', ...policy(), ...registryFlags()])).stderr).toContain('IMAGE_NO_ATTESTATIONS');
    // A signature is a statement too, but not an attestation.
    const signed = await runCli(['sign', image, '--identity-token', await stack.mintToken(), ...registryFlags()]);
    expect(signed.code, signed.stderr).toBe(0);
    // Named by tag: the registry's answer decided the digest checked, and verify says so.
    const byTag = await runCli(['verify', image, ...policy(), ...registryFlags()]);
    expect(byTag.code, byTag.stderr).toBe(0);
    expect(byTag.stderr).toMatch(new RegExp(`^WARNING: ${image} uses a tag, not a digest: the registry resolved it to ${registry.host}/team/attested@sha256:[0-9a-f]{64}`, 'm'));
    const digestRef = /resolved it to (\S+),/.exec(byTag.stderr)![1]!;
    expect((await runCli(['verify', digestRef, ...policy(), ...registryFlags()])).stderr).not.toContain('uses a tag');
    expect(printedCode(await runCli(['verify-attestation', image, ...policy(), ...registryFlags()]))).toBe('IMAGE_NO_ATTESTATIONS');

    const attested = await runCli(['attest', image, '--predicate', predicate, '--type', 'custom', '--identity-token', await stack.mintToken(), ...registryFlags()]);
    expect(attested.code, attested.stderr).toBe(0);
    const verified = await runCli(['verify-attestation', image, '--type', 'custom', ...policy(), ...registryFlags()]);
    expect(verified.code, verified.stderr).toBe(0);
    const envelope = JSON.parse(verified.stdout.trim().split('\n')[0]!);
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
    // cosign's custom type: the file's text under Data, with a Timestamp.
    expect(JSON.parse(statement.predicate.Data)).toEqual({ scanner: 'none', result: 'clean' });
    expect(statement.predicate.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(statement.subject[0].name).toBe(`${registry.host}/team/attested`);

    const wrongType = await runCli(['verify-attestation', image, '--type', 'slsaprovenance1', ...policy(), ...registryFlags()]);
    expect(printedCode(wrongType)).toBe('IMAGE_NO_ATTESTATIONS');
    expect(wrongType.stderr).toContain('found only https://cosign.sigstore.dev/attestation/v1');
    const wrongSigner = await runCli(['verify-attestation', image, '--type', 'custom', '--certificate-identity', `${identity}x`, '--certificate-oidc-issuer', stack.oidcIssuer, ...registryFlags()]);
    expect(printedCode(wrongSigner)).toBe('IMAGE_NO_VALID_SIGNATURE');
    expect(wrongSigner.stderr).toContain('none of 1 attestation(s)');
    expect(wrongSigner.stderr).toContain('POLICY_IDENTITY_MISMATCH');
  }, 60_000);

  it('--timeout (cosign\'s, default 3m) ends the whole command against a registry that never answers', async () => {
    const stalled = createServer(() => undefined);
    await new Promise<void>((done) => stalled.listen(0, '127.0.0.1', done));
    try {
      const host = `127.0.0.1:${(stalled.address() as AddressInfo).port}`;
      const started = Date.now();
      const run = await runCli(['verify', `${host}/team/slow:v1`, '--timeout', '800ms', ...policy(), ...registryFlags()]);
      expect(run.code).toBe(1);
      // The registry's requests stop at the deadline (OCI_TIMEOUT), and so does the command (CLI_TIMEOUT): whichever says so first.
      expect(['OCI_TIMEOUT', 'CLI_TIMEOUT']).toContain(printedCode(run));
      expect(Date.now() - started).toBeLessThan(5000);
      for (const bad of ['soon', '5']) expect((await runCli(['verify', `${host}/team/slow:v1`, '--timeout', bad, ...policy(), ...registryFlags()])).code, bad).toBe(2);
    } finally {
      stalled.closeAllConnections();
      await new Promise((done) => stalled.close(done));
    }
  });

  it('refuses plain http to a registry unless allowed', async () => {
    const run = await runCli(['verify-attestation', image, '--type', 'custom', ...policy()]);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toMatch(/^OCI_/);
  });
});

describe('verify-npm with real npm provenance', () => {
  const cases = ['go-npm-provenance-sigstore-1.3.0', 'go-npm-provenance-sigstore-2.0.0', 'slsa-npm-sigstore-2.3.1'];
  const prodRoot = join(repoRoot, 'test-infra/fixtures/corpus/trusted-roots/prod.json');
  const corpus = (name: string) => {
    const dir = join(repoRoot, 'test-infra/fixtures/corpus', name);
    const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'));
    const attestations = join(work, `${name}.attestations.json`);
    const predicateType = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()).predicateType;
    writeFileSync(attestations, JSON.stringify({ attestations: [{ predicateType, bundle }] }));
    return { tarball: join(dir, 'artifact'), attestations, meta: JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) };
  };

  it.each(cases)('%s verifies with its signer pinned, and without (with a warning)', async (name) => {
    const c = corpus(name);
    const pinned = await runCli(['verify-npm', c.tarball, '--attestations', c.attestations, '--trusted-root', prodRoot, '--certificate-identity', c.meta.identity, '--certificate-oidc-issuer', c.meta.issuer, '--output', 'json']);
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(JSON.parse(pinned.stdout)).toMatchObject({ verified: true, identity: c.meta.identity });
    const unpinned = await runCli(['verify-npm', c.tarball, '--attestations', c.attestations, '--trusted-root', prodRoot]);
    expect(unpinned.code, unpinned.stderr).toBe(0);
    expect(unpinned.stderr).toContain('WARNING: no identity was pinned');
  });

  it('never takes an extension pinned alone for "any signer"', async () => {
    const c = corpus(cases[1]!);
    const run = await runCli(['verify-npm', c.tarball, '--attestations', c.attestations, '--trusted-root', prodRoot, '--certificate-extension', 'Source Repository URI=https://github.com/evil/evil']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('Verified');
  });

  it('fails for another signer and for another tarball', async () => {
    const c = corpus(cases[1]!);
    const other = await runCli(['verify-npm', c.tarball, '--attestations', c.attestations, '--trusted-root', prodRoot, '--certificate-identity', 'https://github.com/someone/else/.github/workflows/release.yml@refs/heads/main', '--certificate-oidc-issuer', c.meta.issuer]);
    expect(printedCode(other)).toBe('POLICY_IDENTITY_MISMATCH');
    const wrongTarball = await runCli(['verify-npm', corpus(cases[0]!).tarball, '--attestations', c.attestations, '--trusted-root', prodRoot]);
    expect(wrongTarball.code).toBe(1);
  });

  it('checks the registry signature with the registry keys, as npm audit signatures does', async () => {
    const c = corpus(cases[1]!);
    const tarball = readFileSync(c.tarball);
    const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keys = join(work, 'keys.json');
    writeFileSync(keys, JSON.stringify({ keys: [{ keyid: 'SHA256:test-registry-key', keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), expires: null }] }));
    const packument = (signed: string) => {
      const file = join(work, 'packument.json');
      const sig = nodeSign('sha256', Buffer.from(signed), privateKey).toString('base64');
      writeFileSync(file, JSON.stringify({ name: 'sigstore', versions: { '2.0.0': { dist: { integrity, signatures: [{ keyid: 'SHA256:test-registry-key', sig }] } } }, time: { '2.0.0': '2023-05-01T00:00:00Z' } }));
      return file;
    };
    const good = await runCli(['verify-npm', c.tarball, '--attestations', c.attestations, '--trusted-root', prodRoot, '--packument', packument(`sigstore@2.0.0:${integrity}`), '--registry-keys', keys]);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stderr).toContain('Verified registry signature');
    const forged = await runCli(['verify-npm', c.tarball, '--attestations', c.attestations, '--trusted-root', prodRoot, '--packument', packument(`sigstore@2.0.1:${integrity}`), '--registry-keys', keys]);
    expect(printedCode(forged)).toBe('PROVENANCE_NPM_SIGNATURE_INVALID');
    expect((await runCli(['verify-npm', c.tarball, '--attestations', c.attestations, '--registry-keys', keys])).code).toBe(2);
  });
});
