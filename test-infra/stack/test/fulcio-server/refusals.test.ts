import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64 } from '@sigil/encoding';
import type { MintOptions } from '../../src/oidc-server/index.js';
import { postJson } from '../support/serve-routes.js';
import { stackErrorCode } from '../support/stack-error.js';
import { createFulcioService } from '../../src/fulcio-server/index.js';
import { createCtLog, generateSigningKey } from '../../src/index.js';
import { certificationRequest, ephemeralKey, mint, requestWithKey, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const now = () => Math.floor(Date.now() / 1000);
const signingCert = (body: unknown, headers?: Record<string, string>) => postJson(`${h.base}/api/v2/signingCert`, body, headers);

/** Asks for a certificate with a proper key and proof for `token`; the proof signs `challenge` (default `sub`). */
async function askWith(token: string, challenge?: string) {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}');
  return requestWithKey(h.base, token, ephemeralKey(), challenge ?? String(claims.sub));
}

function expectRefusal(answer: { status: number; body: any }, status: number, reason: string, mentions?: string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ code: status, reason });
  if (mentions) expect(answer.body.message).toContain(mentions);
}

/** A JWT signed by a key that is not the issuer's, claiming the issuer's kid. */
async function forged(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', ...header }).sign(privateKey);
}

describe('Fulcio over HTTP: bad tokens get 401 and name the cause', () => {
  it.each<[string, string, MintOptions, string, string?]>([
    ['a wrong audience', 'gitlab', { claims: { aud: 'not-sigstore' } }, 'FULCIO_TOKEN_AUDIENCE', 'sigstore'],
    ['an audience list without sigstore', 'gitlab', { claims: { aud: ['a', 'b'] } }, 'FULCIO_TOKEN_AUDIENCE'],
    ['no audience', 'gitlab', { claims: { aud: null } }, 'FULCIO_TOKEN_CLAIM_MISSING', '"aud"'],
    ['an expired token', 'gitlab', { issuedAt: new Date(Date.now() - 600_000) }, 'FULCIO_TOKEN_EXPIRED', 'expired'],
    ['a token not yet valid', 'gitlab', { claims: { nbf: now() + 600 } }, 'FULCIO_TOKEN_NOT_YET_VALID', 'not valid before'],
    ['no iat', 'gitlab', { claims: { iat: null } }, 'FULCIO_TOKEN_CLAIM_MISSING', '"iat"'],
    ['no exp', 'gitlab', { claims: { exp: null } }, 'FULCIO_TOKEN_CLAIM_MISSING', '"exp"'],
    ['a GitLab token without sub', 'gitlab', { claims: { sub: null } }, 'FULCIO_TOKEN_CLAIM_MISSING', '"sub"'],
    ['a GitLab token whose sub is a number', 'gitlab', { claims: { sub: 42 } }, 'FULCIO_TOKEN_CLAIM_INVALID', '"sub"'],
    ['a GitLab token without ci_config_sha', 'gitlab', { claims: { ci_config_sha: null } }, 'FULCIO_TOKEN_CLAIM_MISSING', 'ci_config_sha'],
    ['a GitLab token without project_path', 'gitlab', { claims: { project_path: null } }, 'FULCIO_TOKEN_CLAIM_MISSING', 'project_path'],
    ['a GitLab token with an object for ref', 'gitlab', { claims: { ref: { name: 'main' } } }, 'FULCIO_TOKEN_CLAIM_MISSING', '"ref"'],
    ['a GitHub token without job_workflow_ref', 'github', { kind: 'github', claims: { job_workflow_ref: null } }, 'FULCIO_TOKEN_CLAIM_MISSING', 'job_workflow_ref'],
    ['a GitHub token without run_attempt', 'github', { kind: 'github', claims: { run_attempt: null } }, 'FULCIO_TOKEN_CLAIM_MISSING', 'run_attempt'],
    ['a GitLab-shaped token from the GitHub issuer', 'github', {}, 'FULCIO_TOKEN_CLAIM_MISSING'],
    ['an e-mail token without email', 'email', { kind: 'email', claims: { email: null } }, 'FULCIO_TOKEN_CLAIM_MISSING', '"email"'],
    ['an e-mail token with email_verified false', 'email', { kind: 'email', claims: { email_verified: false } }, 'FULCIO_TOKEN_EMAIL_UNVERIFIED', 'email_verified'],
    ['an e-mail token with email_verified "true" (a string)', 'email', { kind: 'email', claims: { email_verified: 'true' } }, 'FULCIO_TOKEN_EMAIL_UNVERIFIED'],
    ['an e-mail token with a malformed address', 'email', { kind: 'email', claims: { email: 'not-an-address' } }, 'FULCIO_TOKEN_CLAIM_INVALID', '"email"'],
    ['a token whose iss is a number', 'gitlab', { claims: { iss: 7 } }, 'FULCIO_TOKEN_CLAIM_INVALID', '"iss"'],
  ])('%s', async (_, issuer, options, reason, mentions) => {
    const { token, claims } = await mint(h[issuer as 'gitlab'], options);
    const answer = await askWith(token, String(claims.email ?? claims.sub));
    expectRefusal(answer, 401, reason, mentions);
  });

  it('accepts a token a little past its expiry (30 s skew), as Fulcio allows clock drift', async () => {
    const { token } = await mint(h.gitlab, { claims: { exp: now() - 10 } });
    expect((await askWith(token)).status).toBe(201);
  });

  it('an issuer Fulcio does not trust', async () => {
    const { token } = await mint(h.rogue);
    expectRefusal(await askWith(token), 401, 'FULCIO_TOKEN_ISSUER_UNKNOWN', h.rogue.issuerUrl);
  });

  it('a trusted issuer whose discovery document cannot be fetched', async () => {
    const { token } = await mint(h.rogue, { claims: { iss: `${h.base}/vanished` } });
    expectRefusal(await askWith(token), 401, 'FULCIO_ISSUER_DISCOVERY_FAILED', '404');
  });

  it("a token signed by another key under the issuer's kid", async () => {
    const { claims } = await mint(h.gitlab);
    expectRefusal(await askWith(await forged({ kid: h.gitlab.kid }, claims)), 401, 'FULCIO_TOKEN_SIGNATURE_INVALID', 'signature');
  });

  it('a token whose payload was changed after signing', async () => {
    const { token } = await mint(h.gitlab);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const changed = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), project_path: 'evil/project' };
    expectRefusal(await askWith(`${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`), 401, 'FULCIO_TOKEN_SIGNATURE_INVALID');
  });

  it('a token whose kid the issuer does not publish', async () => {
    const { claims } = await mint(h.gitlab);
    expectRefusal(await askWith(await forged({ kid: 'no-such-key' }, claims)), 401, 'FULCIO_TOKEN_KEY_UNKNOWN', 'no-such-key');
  });

  it('a token with a symmetric or no algorithm', async () => {
    const { claims } = await mint(h.gitlab);
    const hs256 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: h.gitlab.kid }).sign(new Uint8Array(32));
    expectRefusal(await askWith(hs256), 401, 'FULCIO_TOKEN_ALGORITHM', 'HS256');
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${b64({ alg: 'none' })}.${b64(claims)}.`;
    expectRefusal(await askWith(unsigned), 401, 'FULCIO_TOKEN_ALGORITHM', '"none"');
  });

  it.each([
    ['no token at all', undefined, 'FULCIO_TOKEN_MISSING'],
    ['a token that is not a JWT', 'not-a-jwt', 'FULCIO_TOKEN_MALFORMED'],
    ['a JWT whose parts are not base64url JSON', 'eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln', 'FULCIO_TOKEN_MALFORMED'],
    ['a huge token', `${'a'.repeat(20_000)}.b.c`, 'FULCIO_TOKEN_MALFORMED'],
  ])('%s', async (_, token, reason) => {
    expectRefusal(await requestWithKey(h.base, token, ephemeralKey(), 'x'), 401, reason);
  });
});

describe('Fulcio over HTTP: bad requests get 4xx and name the cause', () => {
  let token: string;
  let sub: string;
  beforeAll(async () => {
    ({ token, claims: { sub } } = await mint(h.gitlab));
  });
  const credentials = () => ({ oidcIdentityToken: token });

  it('a proof of possession over another text', async () => {
    expectRefusal(await requestWithKey(h.base, token, ephemeralKey(), 'something else'), 400, 'FULCIO_POP_INVALID', '"sub"');
  });

  it('an e-mail proof signed over sub instead of email', async () => {
    const { token: emailToken, claims } = await mint(h.email, { kind: 'email' });
    expectRefusal(await requestWithKey(h.base, emailToken, ephemeralKey(), claims.sub), 400, 'FULCIO_POP_INVALID', '"email"');
  });

  it('a proof made by another key', async () => {
    const key = ephemeralKey();
    const other = ephemeralKey();
    const answer = await signingCert({ credentials: credentials(), publicKeyRequest: { publicKey: { content: key.pem }, proofOfPossession: other.prove(sub) } });
    expectRefusal(answer, 400, 'FULCIO_POP_INVALID');
  });

  it.each<[string, { content?: string }, string | undefined, string]>([
    ['a proof that is not base64', { content: 'PEM' }, '***', 'FULCIO_POP_INVALID'],
    ['no proof', { content: 'PEM' }, undefined, 'FULCIO_REQUEST_INVALID'],
    ['no key content', {}, 'sig', 'FULCIO_REQUEST_INVALID'],
    ['a key that is not base64 or PEM', { content: '%%%' }, 'sig', 'FULCIO_KEY_MALFORMED'],
    ['base64 that is not a SubjectPublicKeyInfo', { content: encodeBase64(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])) }, 'sig', 'FULCIO_KEY_MALFORMED'],
    ['a PEM certificate instead of a key', { content: '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n' }, 'sig', 'FULCIO_KEY_MALFORMED'],
  ])('%s', async (_, publicKey, proof, reason) => {
    const key = ephemeralKey();
    const content = publicKey.content === 'PEM' ? key.pem : publicKey.content;
    const answer = await signingCert({
      credentials: credentials(),
      publicKeyRequest: { publicKey: content === undefined ? {} : { content }, ...(proof === undefined ? {} : { proofOfPossession: proof }) },
    });
    expectRefusal(answer, 400, reason);
  });

  it('keys Fulcio does not certify: RSA under 2048 bits, X25519', async () => {
    const small = ephemeralKey('rsa1024');
    expectRefusal(await requestWithKey(h.base, token, small, sub), 400, 'FULCIO_KEY_UNSUPPORTED', '1024');
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const answer = await signingCert({ credentials: credentials(), publicKeyRequest: { publicKey: { content: x25519 }, proofOfPossession: 'AAAA' } });
    expectRefusal(answer, 400, 'FULCIO_KEY_UNSUPPORTED');
  });

  it.each([
    ['not base64', '***', 'FULCIO_CSR_MALFORMED'],
    ['base64 of garbage DER', encodeBase64(new Uint8Array([0x30, 0x82, 0xff])), 'FULCIO_CSR_MALFORMED'],
    ['base64 of a PEM certificate', encodeBase64(new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n')), 'FULCIO_CSR_MALFORMED'],
    ['a number', 17, 'FULCIO_REQUEST_INVALID'],
  ])('a CSR that is %s', async (_, csr, reason) => {
    expectRefusal(await signingCert({ credentials: credentials(), certificateSigningRequest: csr }), 400, reason);
  });

  it('a CSR signed by another key than its own', async () => {
    const answer = await signingCert({ credentials: credentials(), certificateSigningRequest: certificationRequest(ephemeralKey(), ephemeralKey().privateKey) });
    expectRefusal(answer, 400, 'FULCIO_POP_INVALID', 'self-signature');
  });

  it.each([
    ['neither a key nor a CSR', () => ({ credentials: credentials() }), 'neither'],
    ['both a key and a CSR', () => ({ credentials: credentials(), certificateSigningRequest: 'x', publicKeyRequest: {} }), 'both'],
    ['credentials that are not an object', () => ({ credentials: 'token', certificateSigningRequest: 'x' }), 'credentials'],
    ['a token that is not a string', () => ({ credentials: { oidcIdentityToken: 5 }, certificateSigningRequest: 'x' }), 'oidcIdentityToken'],
    ['a publicKeyRequest that is not an object', () => ({ credentials: credentials(), publicKeyRequest: 'key' }), 'publicKeyRequest'],
    ['a body that is an array', () => [], 'object'],
  ])('%s', async (_, body, mentions) => {
    expectRefusal(await signingCert(body()), 400, 'FULCIO_REQUEST_INVALID', mentions);
  });

  it('a body that is not JSON (415), broken JSON (400), too large (413), the wrong method (405)', async () => {
    const url = `${h.base}/api/v2/signingCert`;
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await signingCert('{"credentials":')).status).toBe(400);
    expect((await signingCert({ credentials: credentials(), certificateSigningRequest: 'A'.repeat(70_000) })).status).toBe(413);
    expect((await fetch(url)).status).toBe(405);
  });

  it('refuses bad options with STACK_INPUT_INVALID', () => {
    const dir = `${h.dir}/options`;
    expect(stackErrorCode(() => createFulcioService({ dir, issuers: [] }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createFulcioService({ dir, issuers: [{ url: 'gitlab.com', type: 'gitlab' }] }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createFulcioService({ dir, issuers: [{ url: 'https://x', type: 'bitbucket' as never }] }))).toBe('STACK_INPUT_INVALID');
    const twice = [{ url: 'https://x', type: 'gitlab' as const }, { url: 'https://x', type: 'email' as const }];
    expect(stackErrorCode(() => createFulcioService({ dir, issuers: twice }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createFulcioService({ dir, issuers: [twice[0]!], clockToleranceSeconds: -1 }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createFulcioService({ dir, issuers: [twice[0]!], ctLog: createCtLog({ key: generateSigningKey('P-384') }) }))).toBe('STACK_INPUT_INVALID');
  });

  it('refuses a state dir whose CA certificates are not of the keys beside them', () => {
    const dir = join(h.dir, 'swapped');
    const issuers = [{ url: 'https://x', type: 'gitlab' as const }];
    createFulcioService({ dir, issuers });
    copyFileSync(join(h.dir, 'fulcio', 'ca-root.pem'), join(dir, 'ca-root.pem'));
    expect(stackErrorCode(() => createFulcioService({ dir, issuers }))).toBe('STACK_STATE_INVALID');
    writeFileSync(join(dir, 'ca-root.pem'), '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n');
    expect(stackErrorCode(() => createFulcioService({ dir, issuers }))).toBe('STACK_STATE_INVALID');
  });
});
