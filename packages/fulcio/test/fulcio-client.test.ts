import { afterEach, describe, expect, it } from 'vitest';
import { verifySignature } from '@sigil/crypto';
import { concatBytes, decodeBase64, derToPem, encodeBase64, pemToDer, utf8Encode } from '@sigil/encoding';
import { HttpClientError } from '@sigil/http-client';
import { generateEphemeralSigner, type Signer } from '@sigil/keys';
import { createFulcioClient, FulcioError, type FulcioErrorCode } from '../src/index.js';
import { caChainPem, pemChain, requestedKey } from './fake-fulcio.js';
import { localServer, sendRawJson as sendJson, type LocalServer } from '@sigil/stack';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzb21lb25lQGV4YW1wbGUuY29tIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const quick = { retryDelayMs: 1, maxRetryDelayMs: 20 };

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Parameters<typeof localServer>[0]): Promise<LocalServer> {
  const server = await localServer(handler);
  servers.push(server);
  return server;
}

async function expectFulcioError(promise: Promise<unknown>, code: FulcioErrorCode): Promise<FulcioError> {
  const err = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(err).toBeInstanceOf(FulcioError);
  expect((err as FulcioError).code).toBe(code);
  // Whatever went wrong, the token is nowhere in what the error shows.
  const shown = JSON.stringify({ message: (err as FulcioError).message, details: (err as FulcioError).details, hint: (err as FulcioError).hint });
  expect(shown).not.toContain(TOKEN);
  expect(shown).not.toContain('c2lnbmF0dXJlLW9mLXRoZS10b2tlbg');
  return err as FulcioError;
}

/** A Fulcio that certifies whatever key it is asked to, in the embedded-SCT form. */
function certifyingServer(status = 201) {
  const seen: unknown[] = [];
  return {
    seen,
    handler: (res: Parameters<Parameters<typeof localServer>[0]>[0], body: string) => {
      seen.push(JSON.parse(body));
      sendJson(res, status, { signedCertificateEmbeddedSct: { chain: { certificates: pemChain(requestedKey(body)) } } });
    },
  };
}

describe('signingCertificate (public key and proof of possession)', () => {
  it('sends the token, the PEM key and a proof over the challenge; returns the DER chain, leaf first', async () => {
    const fulcio = certifyingServer();
    const server = await serve(fulcio.handler);
    const signer = generateEphemeralSigner();
    const result = await createFulcioClient({ url: server.url }).signingCertificate({ token: TOKEN, signer, challenge: 'someone@example.com' });
    expect(result.sctEmbedded).toBe(true);
    expect(result.detachedSct).toBeUndefined();
    expect(result.chain).toHaveLength(3);
    expect(derToPem(result.chain[0]!, 'CERTIFICATE')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const request = fulcio.seen[0] as {
      credentials: { oidcIdentityToken: string };
      publicKeyRequest: { publicKey: { algorithm: string; content: string }; proofOfPossession: string };
    };
    expect(request.credentials.oidcIdentityToken).toBe(TOKEN);
    expect(request.publicKeyRequest.publicKey.algorithm).toBe('ECDSA');
    expect(pemToDer(request.publicKeyRequest.publicKey.content, 'PUBLIC KEY')).toEqual(signer.spki);
    const proof = decodeBase64(request.publicKeyRequest.proofOfPossession);
    expect(verifySignature(signer.publicKey, utf8Encode('someone@example.com'), proof)).toBe(true);
  });

  it('reads the detached-SCT form', async () => {
    const server = await serve((res, body) =>
      sendJson(res, 200, {
        signedCertificateDetachedSct: { chain: { certificates: pemChain(requestedKey(body)) }, signedCertificateTimestamp: encodeBase64(utf8Encode('{"sct_version":0}')) },
      }),
    );
    const result = await createFulcioClient({ url: `${server.url}/` }).signingCertificate({ token: TOKEN, signer: generateEphemeralSigner(), challenge: 'sub' });
    expect(result.sctEmbedded).toBe(false);
    expect(result.detachedSct).toEqual(utf8Encode('{"sct_version":0}'));
  });

  it('works below a path prefix', async () => {
    let path: string | undefined;
    const server = await serve((res, body, _hit, req) => {
      path = req.url;
      certifyingServer().handler(res, body);
    });
    await createFulcioClient({ url: `${server.url}/fulcio` }).signingCertificate({ token: TOKEN, signer: generateEphemeralSigner(), challenge: 'sub' });
    expect(path).toBe('/fulcio/api/v2/signingCert');
  });

  it('retries a 503, then takes the certificate', async () => {
    const fulcio = certifyingServer();
    const server = await serve((res, body, hit) => (hit === 0 ? sendJson(res, 503, { code: 503, message: 'try later' }) : fulcio.handler(res, body)));
    const result = await createFulcioClient({ url: server.url, ...quick }).signingCertificate({ token: TOKEN, signer: generateEphemeralSigner(), challenge: 'sub' });
    expect(result.chain).toHaveLength(3);
    expect(server.hits).toBe(2);
  });
});

describe('signingCertificateWithCsr', () => {
  it('sends base64 of the PEM CSR for the signer key, and no publicKeyRequest', async () => {
    const fulcio = certifyingServer();
    const server = await serve(fulcio.handler);
    const signer = generateEphemeralSigner();
    const result = await createFulcioClient({ url: server.url }).signingCertificateWithCsr({ token: TOKEN, signer });
    expect(result.chain).toHaveLength(3);
    const request = fulcio.seen[0] as Record<string, unknown>;
    expect(Object.keys(request).sort()).toEqual(['certificateSigningRequest', 'credentials']);
    expect(new TextDecoder().decode(decodeBase64(request.certificateSigningRequest as string))).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
  });
});

describe('answers it refuses', () => {
  const signer = generateEphemeralSigner();
  const other = generateEphemeralSigner();
  const ask = (url: string, extra: object = {}) => createFulcioClient({ url, ...quick, retries: 1, ...extra }).signingCertificate({ token: TOKEN, signer, challenge: 'sub' });

  it.each([
    ['neither form', () => ({})],
    ['both forms', () => ({ signedCertificateEmbeddedSct: { chain: { certificates: pemChain(signer.spki) } }, signedCertificateDetachedSct: { chain: { certificates: pemChain(signer.spki) } } })],
    ['an empty chain', () => ({ signedCertificateEmbeddedSct: { chain: { certificates: [] } } })],
    ['a chain of eleven', () => ({ signedCertificateEmbeddedSct: { chain: { certificates: Array(11).fill(pemChain(signer.spki)[0]) } } })],
    ['a certificate that is not PEM', () => ({ signedCertificateEmbeddedSct: { chain: { certificates: ['MIIB...'] } } })],
    ['a PEM public key where a certificate belongs', () => ({ signedCertificateEmbeddedSct: { chain: { certificates: [derToPem(signer.spki, 'PUBLIC KEY')] } } })],
    ['PEM of garbage DER', () => ({ signedCertificateEmbeddedSct: { chain: { certificates: [derToPem(new Uint8Array([0x30, 0x03, 1, 2, 3]), 'CERTIFICATE')] } } })],
    ['a number for the chain', () => ({ signedCertificateEmbeddedSct: { chain: 7 } })],
    ['a detached form without its SCT', () => ({ signedCertificateDetachedSct: { chain: { certificates: pemChain(signer.spki) } } })],
    ['a detached SCT that is not base64', () => ({ signedCertificateDetachedSct: { chain: { certificates: pemChain(signer.spki) }, signedCertificateTimestamp: '%%%' } })],
    ['an array', () => []],
  ])('%s: FULCIO_RESPONSE_INVALID', async (_name, answer) => {
    const server = await serve((res) => sendJson(res, 201, answer()));
    const err = await expectFulcioError(ask(server.url), 'FULCIO_RESPONSE_INVALID');
    expect(typeof err.details?.path).toBe('string');
    expect(server.hits).toBe(1);
  });

  it('a leaf for another key: FULCIO_CERTIFICATE_KEY_MISMATCH', async () => {
    const server = await serve((res) => sendJson(res, 201, { signedCertificateEmbeddedSct: { chain: { certificates: pemChain(other.spki) } } }));
    await expectFulcioError(ask(server.url), 'FULCIO_CERTIFICATE_KEY_MISMATCH');
  });

  it('a leaf for the same key in compressed form is accepted', async () => {
    // The SPKI of a P-256 key with its point compressed: 0x02 or 0x03 by the parity of y, then x.
    const point = signer.spki.subarray(-65);
    const compressed = concatBytes(
      new Uint8Array([0x30, 0x39, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x22, 0x00]),
      new Uint8Array([0x02 + (point[64]! & 1)]),
      point.subarray(1, 33),
    );
    const server = await serve((res) => sendJson(res, 201, { signedCertificateEmbeddedSct: { chain: { certificates: pemChain(compressed) } } }));
    expect((await ask(server.url)).chain).toHaveLength(3);
  });

  it('garbage JSON: FULCIO_HTTP wrapping HTTP_INVALID_JSON', async () => {
    const server = await serve((res) => sendJson(res, 201, '{"signedCertificateEmbeddedSct": {'));
    const err = await expectFulcioError(ask(server.url), 'FULCIO_HTTP');
    expect((err.cause as HttpClientError).code).toBe('HTTP_INVALID_JSON');
    expect(err.details?.httpCode).toBe('HTTP_INVALID_JSON');
  });

  it('a wrong content type: FULCIO_HTTP wrapping HTTP_CONTENT_TYPE', async () => {
    const server = await serve((res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>sign in</html>');
    });
    expect((await expectFulcioError(ask(server.url), 'FULCIO_HTTP')).details?.httpCode).toBe('HTTP_CONTENT_TYPE');
  });

  it('a huge body: FULCIO_HTTP wrapping HTTP_BODY_TOO_LARGE', async () => {
    const server = await serve((res) => sendJson(res, 201, { pad: 'x'.repeat(4096) }));
    expect((await expectFulcioError(ask(server.url, { maxResponseBytes: 1024 }), 'FULCIO_HTTP')).details?.httpCode).toBe('HTTP_BODY_TOO_LARGE');
  });

  it('no answer: FULCIO_HTTP wrapping HTTP_TIMEOUT, after the retries', async () => {
    const server = await serve(() => undefined);
    const err = await expectFulcioError(ask(server.url, { timeoutMs: 100 }), 'FULCIO_HTTP');
    expect(err.details?.httpCode).toBe('HTTP_TIMEOUT');
    expect(server.hits).toBe(2);
  });

  it('5xx every time: FULCIO_HTTP with the status and Fulcio message', async () => {
    const server = await serve((res) => sendJson(res, 500, { code: 500, message: 'error creating certificate' }));
    const err = await expectFulcioError(ask(server.url), 'FULCIO_HTTP');
    expect(err.details).toMatchObject({ status: 500, serverMessage: 'error creating certificate' });
    expect(server.hits).toBe(2);
  });

  it('a 401 that echoes the token: the message is kept, the token is not; not retried', async () => {
    const server = await serve((res) => sendJson(res, 401, { code: 401, message: `There was an error processing the identity token: ${TOKEN}` }));
    const err = await expectFulcioError(ask(server.url), 'FULCIO_HTTP');
    expect(err.details).toMatchObject({ status: 401, serverMessage: 'There was an error processing the identity token: [redacted]' });
    expect(err.hint).toMatch(/audience/);
    expect(server.hits).toBe(1);
    expect(JSON.stringify((err.cause as HttpClientError).details)).not.toContain(TOKEN);
  });

  it('a 400 gets a hint about the request', async () => {
    const server = await serve((res) => sendJson(res, 400, { code: 400, message: 'The public key supplied in the request could not be parsed' }));
    expect((await expectFulcioError(ask(server.url), 'FULCIO_HTTP')).hint).toMatch(/proof of possession/);
  });
});

describe('trustBundle and configuration', () => {
  it('trustBundle: the chains as DER', async () => {
    const server = await serve((res) => sendJson(res, 200, { chains: [{ certificates: caChainPem() }] }));
    const chains = await createFulcioClient({ url: server.url }).trustBundle();
    expect(chains).toHaveLength(1);
    expect(chains[0]!.map((der) => derToPem(der, 'CERTIFICATE'))).toEqual(caChainPem());
  });

  it('configuration: issuers with their challenge claims', async () => {
    const issuers = [
      { issuerUrl: 'https://gitlab.com', audience: 'sigstore', challengeClaim: 'sub', issuerType: 'gitlab-pipeline', future: 1 },
      { wildcardIssuerUrl: 'https://oidc.eks.*.amazonaws.com/id/*', audience: 'sigstore', challengeClaim: 'sub', spiffeTrustDomain: '', subjectDomain: '' },
    ];
    const server = await serve((res) => sendJson(res, 200, { issuers }));
    expect(await createFulcioClient({ url: server.url }).configuration()).toEqual({
      issuers: [
        { issuerUrl: 'https://gitlab.com', audience: 'sigstore', challengeClaim: 'sub', issuerType: 'gitlab-pipeline' },
        { wildcardIssuerUrl: 'https://oidc.eks.*.amazonaws.com/id/*', audience: 'sigstore', challengeClaim: 'sub', spiffeTrustDomain: '', subjectDomain: '' },
      ],
    });
  });

  it.each([
    ['trustBundle', { chains: [] }],
    ['trustBundle', { chains: [{ certificates: ['not pem'] }] }],
    ['configuration', { issuers: [{ audience: 'sigstore', challengeClaim: 'sub' }] }],
    ['configuration', { issuers: [{ issuerUrl: 'a', wildcardIssuerUrl: 'b', audience: 'sigstore', challengeClaim: 'sub' }] }],
    ['configuration', { issuers: [{ issuerUrl: 'a', audience: 7, challengeClaim: 'sub' }] }],
    ['configuration', { issuers: 'all' }],
  ] as const)('%s: a malformed answer is FULCIO_RESPONSE_INVALID', async (method, answer) => {
    const server = await serve((res) => sendJson(res, 200, answer));
    await expectFulcioError(createFulcioClient({ url: server.url })[method](), 'FULCIO_RESPONSE_INVALID');
  });
});

describe('bad arguments', () => {
  const signer = generateEphemeralSigner();
  const client = createFulcioClient({ url: 'http://127.0.0.1:9' });

  it.each([
    ['a missing url', () => createFulcioClient({} as never)],
    ['a relative url', () => createFulcioClient({ url: 'fulcio.sigstore.dev' })],
    ['a file url', () => createFulcioClient({ url: 'file:///tmp' })],
  ])('%s: FULCIO_INPUT_INVALID', async (_name, make) => {
    await expectFulcioError(Promise.resolve().then(make), 'FULCIO_INPUT_INVALID');
  });

  it.each([
    ['an empty token', { token: '', signer, challenge: 'sub' }],
    ['a token that is not a string', { token: 42, signer, challenge: 'sub' }],
    ['a huge token', { token: 'e'.repeat(70_000), signer, challenge: 'sub' }],
    ['no signer', { token: TOKEN, challenge: 'sub' }],
    ['a signer without sign()', { token: TOKEN, signer: { spki: signer.spki }, challenge: 'sub' }],
    ['an empty challenge', { token: TOKEN, signer, challenge: '' }],
    ['no challenge', { token: TOKEN, signer }],
  ])('signingCertificate with %s: FULCIO_INPUT_INVALID, nothing sent', async (_name, request) => {
    await expectFulcioError(client.signingCertificate(request as never), 'FULCIO_INPUT_INVALID');
  });

  it('a bad HTTP option: FULCIO_INPUT_INVALID', async () => {
    await expectFulcioError(createFulcioClient({ url: 'http://127.0.0.1:9', retries: -1 }).trustBundle(), 'FULCIO_INPUT_INVALID');
  });

  it('a signer that fails: FULCIO_SIGNING_FAILED', async () => {
    const failing: Signer = { ...signer, spki: signer.spki, algorithm: signer.algorithm, publicKey: signer.publicKey, sign: async () => Promise.reject(new Error('KMS unavailable')), signDigest: signer.signDigest };
    await expectFulcioError(client.signingCertificate({ token: TOKEN, signer: failing, challenge: 'sub' }), 'FULCIO_SIGNING_FAILED');
    await expectFulcioError(client.signingCertificateWithCsr({ token: TOKEN, signer: failing }), 'FULCIO_SIGNING_FAILED');
  });
});
