import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEphemeralSigner } from '@sigil/keys';
import { createStack, type Stack } from '@sigil/stack';
import { loadTrustMaterialFile, type TrustMaterial } from '@sigil/trust';
import { certificateIdentity, parseCertificate, verifyCertificatePath } from '@sigil/x509';
import { createFulcioClient, FulcioError, type FulcioClient, type SigningCertificate } from '../src/index.js';

// The local stack's Fulcio, in process: tokens from its OIDC issuer, certificates from its CA.
let stack: Stack;
let dir: string;
let fulcio: FulcioClient;
let trust: TrustMaterial;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-fulcio-client-'));
  stack = await createStack({ dir });
  fulcio = createFulcioClient({ url: stack.fulcioURL });
  trust = loadTrustMaterialFile(stack.trustedRoot);
});

afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, string>;

/** The leaf holds the signer's key and the token's issuer, and chains to the stack's trusted root. */
function expectCertified(result: SigningCertificate, spki: Uint8Array) {
  expect(result.sctEmbedded).toBe(true);
  const leaf = parseCertificate(result.chain[0]!);
  expect(leaf.spkiDer).toEqual(spki);
  expect(certificateIdentity(leaf).issuer).toBe(stack.oidcIssuer);
  const [ca] = trust.certificateAuthorities;
  expect(verifyCertificatePath(leaf, ca!.chain, leaf.notBefore, { leafPurpose: 'codeSigning' })).toBeTruthy();
  return leaf;
}

describe('the local stack Fulcio', () => {
  it('certifies an ephemeral key with a proof of possession over the GitLab token sub', async () => {
    const token = await stack.mintToken({ project: 'my-group/my-project' });
    const signer = generateEphemeralSigner();
    const leaf = expectCertified(await fulcio.signingCertificate({ token, signer, challenge: claimsOf(token).sub! }), signer.spki);
    expect(certificateIdentity(leaf).san).toMatch(/my-group\/my-project\/\/\.gitlab-ci\.yml@refs\/heads\/main$/);
  });

  it('certifies an ephemeral key from a CSR', async () => {
    const signer = generateEphemeralSigner();
    expectCertified(await fulcio.signingCertificateWithCsr({ token: await stack.mintToken(), signer }), signer.spki);
  });

  it('certifies a P-384 key in both forms', async () => {
    const token = await stack.mintToken();
    const signer = generateEphemeralSigner({ algorithm: 'ECDSA_P384_SHA384' });
    expectCertified(await fulcio.signingCertificate({ token, signer, challenge: claimsOf(token).sub! }), signer.spki);
    expectCertified(await fulcio.signingCertificateWithCsr({ token, signer }), signer.spki);
  });

  it('a token for another audience: FULCIO_HTTP 401 with Fulcio message and a hint, the token nowhere', async () => {
    const token = await stack.mintToken({ claims: { aud: 'not-sigstore' } });
    const err = await fulcio.signingCertificate({ token, signer: generateEphemeralSigner(), challenge: claimsOf(token).sub! }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FulcioError);
    expect((err as FulcioError).code).toBe('FULCIO_HTTP');
    expect((err as FulcioError).details).toMatchObject({ status: 401, serverMessage: expect.stringMatching(/audience/i) });
    expect((err as FulcioError).hint).toMatch(/audience/);
    expect(JSON.stringify({ m: (err as Error).message, d: (err as FulcioError).details })).not.toContain(token.split('.')[2]);
  });

  it('a proof over another challenge: FULCIO_HTTP 400', async () => {
    const token = await stack.mintToken();
    const err = await fulcio.signingCertificate({ token, signer: generateEphemeralSigner(), challenge: 'someone else' }).catch((e: unknown) => e);
    expect((err as FulcioError).code).toBe('FULCIO_HTTP');
    expect((err as FulcioError).details?.status).toBe(400);
  });

  it('trustBundle is the trusted root CA chain; configuration names the stack issuer', async () => {
    const [chain] = await fulcio.trustBundle();
    expect(chain).toEqual(trust.certificateAuthorities[0]!.chain.map((certificate) => certificate.der));
    const { issuers } = await fulcio.configuration();
    expect(issuers).toContainEqual(expect.objectContaining({ issuerUrl: stack.oidcIssuer, audience: 'sigstore', challengeClaim: 'sub' }));
  });
});
