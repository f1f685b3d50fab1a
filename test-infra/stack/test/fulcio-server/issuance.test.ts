import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, pemToDer } from '@sigil/encoding';
import { certificateIdentity, fulcioExtensions, parseCertificate, verifyCertificatePath, verifyEmbeddedScts, type Certificate } from '@sigil/x509';
import { postJson } from '../support/serve-routes.js';
import { certificationRequest, chainOf, ctLogsOf, ephemeralKey, mint, requestWithKey, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** The checks every issued leaf must pass: key, profile, chain, SCT. */
function checkLeaf(chain: Certificate[], spki: Uint8Array): Certificate {
  const [leaf, intermediate, root] = chain as [Certificate, Certificate, Certificate];
  expect(chain).toHaveLength(3);
  expect(bytesEqual(intermediate.der, h.fulcio.ca.intermediate)).toBe(true);
  expect(bytesEqual(root.der, h.fulcio.ca.root)).toBe(true);
  expect(bytesEqual(leaf.spkiDer, spki)).toBe(true);
  expect(leaf.subject).toBe('');
  expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBe(600_000);
  expect(Math.abs(leaf.notBefore.getTime() - Date.now())).toBeLessThan(5_000);
  expect([...leaf.keyUsage!]).toEqual(['digitalSignature']);
  expect(leaf.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.3']);
  expect(leaf.extensions.find((ext) => ext.oid === '2.5.29.17')?.critical).toBe(true);
  expect(verifyCertificatePath(leaf, [intermediate, root], new Date(), { leafPurpose: 'codeSigning' })).toHaveLength(3);
  expect(verifyEmbeddedScts(leaf, intermediate, ctLogsOf(h.fulcio)).verifiedLogIds).toEqual([h.fulcio.ctLog.logId]);
  return leaf;
}

describe('Fulcio over HTTP: issuance', () => {
  it('certifies a GitLab CI job: SAN from ci_config_ref_uri, every extension from the claims', async () => {
    const { token, claims } = await mint(h.gitlab, { claims: { environment: 'production' } });
    const key = ephemeralKey();
    const { status, body } = await requestWithKey(h.base, token, key, claims.sub);
    expect(status).toBe(201);
    const leaf = checkLeaf(chainOf(body), key.spki);
    const host = new URL(h.base).host;
    const config = `https://${host}/my-group/my-project//.gitlab-ci.yml@refs/heads/main`;
    expect(certificateIdentity(leaf)).toEqual({ san: config, sanType: 'uri', issuer: h.gitlab.issuerUrl });
    expect(fulcioExtensions(leaf)).toEqual({
      issuer: h.gitlab.issuerUrl,
      issuerV2: h.gitlab.issuerUrl,
      buildSignerURI: config,
      buildSignerDigest: claims.ci_config_sha,
      runnerEnvironment: 'gitlab-hosted',
      // Fulcio's GitLab template {url} is https://gitlab.com whatever the issuer.
      sourceRepositoryURI: 'https://gitlab.com/my-group/my-project',
      sourceRepositoryDigest: claims.sha,
      sourceRepositoryRef: 'refs/heads/main',
      sourceRepositoryIdentifier: '20',
      sourceRepositoryOwnerURI: 'https://gitlab.com/my-group',
      sourceRepositoryOwnerIdentifier: '72',
      buildConfigURI: config,
      buildConfigDigest: claims.ci_config_sha,
      buildTrigger: 'push',
      runInvocationURI: 'https://gitlab.com/my-group/my-project/-/jobs/302',
      sourceRepositoryVisibilityAtSigning: 'public',
      deploymentEnvironment: 'production',
      tokenSubject: claims.sub,
    });
  });

  it('certifies a GitHub Actions job: SAN https://github.com/ + job_workflow_ref, the deprecated extensions too', async () => {
    const { token, claims } = await mint(h.github, { kind: 'github', project: 'octo/app', ref: 'v1', refType: 'tag' });
    const key = ephemeralKey('P-384');
    const { status, body } = await requestWithKey(h.base, token, key, claims.sub);
    expect(status).toBe(201);
    const leaf = checkLeaf(chainOf(body), key.spki);
    const workflow = 'https://github.com/octo/app/.github/workflows/release.yml@refs/tags/v1';
    expect(certificateIdentity(leaf)).toEqual({ san: workflow, sanType: 'uri', issuer: h.github.issuerUrl });
    expect(fulcioExtensions(leaf)).toEqual({
      issuer: h.github.issuerUrl,
      githubWorkflowTrigger: 'push',
      githubWorkflowSHA: claims.sha,
      githubWorkflowName: 'Release',
      githubWorkflowRepository: 'octo/app',
      githubWorkflowRef: 'refs/tags/v1',
      issuerV2: h.github.issuerUrl,
      buildSignerURI: workflow,
      buildSignerDigest: claims.job_workflow_sha,
      runnerEnvironment: 'github-hosted',
      sourceRepositoryURI: 'https://github.com/octo/app',
      sourceRepositoryDigest: claims.sha,
      sourceRepositoryRef: 'refs/tags/v1',
      sourceRepositoryIdentifier: claims.repository_id,
      sourceRepositoryOwnerURI: 'https://github.com/octo',
      sourceRepositoryOwnerIdentifier: claims.repository_owner_id,
      buildConfigURI: workflow,
      buildConfigDigest: claims.workflow_sha,
      buildTrigger: 'push',
      runInvocationURI: `https://github.com/octo/app/actions/runs/${claims.run_id}/attempts/1`,
      sourceRepositoryVisibilityAtSigning: 'public',
      tokenSubject: claims.sub,
    });
  });

  it('certifies an e-mail identity: rfc822Name SAN, proof over the email claim', async () => {
    const { token, claims } = await mint(h.email, { kind: 'email', email: 'dev@example.org' });
    const key = ephemeralKey();
    const { status, body } = await requestWithKey(h.base, token, key, 'dev@example.org');
    expect(status).toBe(201);
    const leaf = checkLeaf(chainOf(body), key.spki);
    expect(certificateIdentity(leaf)).toEqual({ san: 'dev@example.org', sanType: 'email', issuer: h.email.issuerUrl });
    expect(fulcioExtensions(leaf)).toEqual({ issuer: h.email.issuerUrl, issuerV2: h.email.issuerUrl, tokenSubject: claims.sub });
  });

  it.each(['gitlab', 'github', 'email'] as const)('certifies the key of a CSR for a %s token', async (kind) => {
    const { token } = await mint(h[kind], { kind });
    const key = ephemeralKey();
    const { status, body } = await postJson(`${h.base}/api/v2/signingCert`, { credentials: { oidcIdentityToken: token }, certificateSigningRequest: certificationRequest(key) });
    expect(status).toBe(201);
    const leaf = checkLeaf(chainOf(body), key.spki);
    expect(certificateIdentity(leaf).issuer).toBe(h[kind].issuerUrl);
  });

  it('certifies Ed25519 and RSA keys, by proof and by CSR', async () => {
    const { token, claims } = await mint(h.gitlab);
    for (const type of ['ed25519', 'rsa2048'] as const) {
      const key = ephemeralKey(type);
      const { status, body } = await requestWithKey(h.base, token, key, claims.sub);
      expect(status, type).toBe(201);
      checkLeaf(chainOf(body), key.spki);
    }
    const ed = ephemeralKey('ed25519');
    const csr = await postJson(`${h.base}/api/v2/signingCert`, { credentials: { oidcIdentityToken: token }, certificateSigningRequest: certificationRequest(ed) });
    expect(csr.status).toBe(201);
  });

  it('takes the token from Authorization: Bearer, and the key as base64 DER', async () => {
    const { token, claims } = await mint(h.gitlab);
    const key = ephemeralKey();
    const content = key.pem.replace(/-----[A-Z ]+-----|\s/g, '');
    const { status, body } = await postJson(
      `${h.base}/api/v2/signingCert`,
      { publicKeyRequest: { publicKey: { content }, proofOfPossession: key.prove(claims.sub) } },
      { authorization: `Bearer ${token}` },
    );
    expect(status).toBe(201);
    checkLeaf(chainOf(body), key.spki);
  });

  it('accepts an audience list that contains sigstore', async () => {
    const { token, claims } = await mint(h.gitlab, { claims: { aud: ['other', 'sigstore'] } });
    const key = ephemeralKey();
    expect((await requestWithKey(h.base, token, key, claims.sub)).status).toBe(201);
  });

  it('serves its trust bundle and configuration', async () => {
    const bundle = (await (await fetch(`${h.base}/api/v2/trustBundle`)).json()) as any;
    expect(bundle.chains).toHaveLength(1);
    expect(bundle.chains[0].certificates.map((pem: string) => pemToDer(pem, 'CERTIFICATE'))).toEqual(h.fulcio.ca.chain);
    const configuration = (await (await fetch(`${h.base}/api/v2/configuration`)).json()) as any;
    expect(configuration.issuers).toEqual([
      { issuerUrl: h.gitlab.issuerUrl, audience: 'sigstore', challengeClaim: 'sub', issuerType: 'ci-provider' },
      { issuerUrl: h.github.issuerUrl, audience: 'sigstore', challengeClaim: 'sub', issuerType: 'ci-provider' },
      { issuerUrl: h.email.issuerUrl, audience: 'sigstore', challengeClaim: 'email', issuerType: 'email' },
      { issuerUrl: `${h.base}/vanished`, audience: 'sigstore', challengeClaim: 'sub', issuerType: 'ci-provider' },
    ]);
  });

  it('keeps the CA and the CT log key across a restart on the same dir', async () => {
    const before = h.fulcio;
    for (const file of ['ca-root-key.pem', 'ca-intermediate-key.pem', 'ctlog-key.pem']) {
      expect(statSync(join(h.dir, 'fulcio', file)).mode & 0o777, file).toBe(0o600);
    }
    const after = h.restartFulcio();
    expect(after.ca.root).toEqual(before.ca.root);
    expect(after.ca.intermediate).toEqual(before.ca.intermediate);
    expect(after.ca.subject).toEqual(before.ca.subject);
    expect(after.ca.validity).toEqual(before.ca.validity);
    expect(after.ctLog.logId).toEqual(before.ctLog.logId);
    const { token, claims } = await mint(h.gitlab);
    const key = ephemeralKey();
    const { status, body } = await requestWithKey(h.base, token, key, claims.sub);
    expect(status).toBe(201);
    checkLeaf(chainOf(body), key.spki);
    // A leaf from before the restart still chains to the same CA.
    expect(parseCertificate(after.ca.intermediate).subject).toBe(parseCertificate(before.ca.intermediate).subject);
  });
});

describe("sigstore-js's own Fulcio client", () => {
  // FulcioSigner is @sigstore/sign's, a dependency of the sigstore package: reach it through sigstore.
  const require = createRequire(import.meta.url);
  const { FulcioSigner } = createRequire(require.resolve('sigstore'))('@sigstore/sign');

  it.each(['gitlab', 'github', 'email'] as const)('gets a certificate for a %s token and signs with its key', async (kind) => {
    const { token } = await mint(h[kind], { kind });
    const signer = new FulcioSigner({ fulcioBaseURL: h.base, identityProvider: { getToken: async () => token } });
    const result = await signer.sign(Buffer.from('hello'));
    expect(result.key.$case).toBe('x509Certificate');
    const leaf = parseCertificate(pemToDer(result.key.certificate, 'CERTIFICATE'));
    const [intermediate, root] = h.fulcio.ca.chain.map((der) => parseCertificate(der)) as [Certificate, Certificate];
    expect(verifyCertificatePath(leaf, [intermediate, root], new Date(), { leafPurpose: 'codeSigning' })).toHaveLength(3);
    expect(certificateIdentity(leaf).issuer).toBe(h[kind].issuerUrl);
  });

  it("surfaces Fulcio's message when it refuses", async () => {
    const { token } = await mint(h.gitlab, { claims: { aud: 'not-sigstore' } });
    const signer = new FulcioSigner({ fulcioBaseURL: h.base, identityProvider: { getToken: async () => token } });
    await expect(signer.sign(Buffer.from('hello'))).rejects.toMatchObject({ cause: { statusCode: 401, message: expect.stringContaining('"sigstore"') } });
  });
});
