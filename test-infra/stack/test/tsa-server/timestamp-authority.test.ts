import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { TimeStampReq, MessageImprint } from '@peculiar/asn1-tsp';
import * as X from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hash, sha256 } from '@sigil/crypto';
import { decodePemBlocks, encodeBase64, encodeHex } from '@sigil/encoding';
import { parseTimestampToken, verifyTimestampToken, type TimestampAuthority as Authority } from '@sigil/tsa';
import { parseCertificate, verifyCertificatePath } from '@sigil/x509';
import { createTimestampAuthority, TSA_POLICY, type TimestampAuthority } from '../../src/tsa-server/index.js';
import { serveRoutes, temporaryDirectory } from '../support/serve-routes.js';
import { stackErrorCode } from '../support/stack-error.js';

let server: Awaited<ReturnType<typeof serveRoutes>>;
let state: ReturnType<typeof temporaryDirectory>;
let tsa: TimestampAuthority;
let url: string;

beforeAll(async () => {
  server = await serveRoutes();
  state = temporaryDirectory('tsa');
  tsa = createTimestampAuthority({ dir: state.dir });
  server.setRoutes(tsa.routes);
  url = `${server.url}/api/v1/timestamp`;
});
afterAll(async () => {
  await server.close();
  state.remove();
});

const SHA = { sha256: '2.16.840.1.101.3.4.2.1', sha384: '2.16.840.1.101.3.4.2.2', sha1: '1.3.14.3.2.26' };

/** A DER TimeStampReq, as openssl ts -query or sigstore-go make it. */
function derRequest(digest: Uint8Array, fields: { hashOid?: string; nonce?: Uint8Array; certReq?: boolean; reqPolicy?: string; version?: number; extensions?: boolean } = {}): Uint8Array {
  const request = new TimeStampReq({
    version: fields.version ?? 1,
    messageImprint: new MessageImprint({ hashAlgorithm: new X.AlgorithmIdentifier({ algorithm: fields.hashOid ?? SHA.sha256 }), hashedMessage: new OctetString(digest) }),
    certReq: fields.certReq ?? false,
    ...(fields.nonce ? { nonce: fields.nonce.slice().buffer } : {}),
    ...(fields.reqPolicy ? { reqPolicy: fields.reqPolicy } : {}),
    ...(fields.extensions ? { extensions: new X.Extensions([new X.Extension({ extnID: '1.2.3.4', critical: false, extnValue: new OctetString(new Uint8Array([5, 0])) })]) } : {}),
  });
  return new Uint8Array(AsnConvert.serialize(request));
}

async function post(body: Uint8Array | string, contentType: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

function authorities(): Authority[] {
  const chain = tsa.certChain.map((der) => parseCertificate(der));
  return [{ certChain: chain, validFor: { start: chain[chain.length - 1]!.notBefore } }];
}

async function expectRefusal(response: Promise<{ status: number; bytes: Uint8Array }>, status: number, reason: string) {
  const { status: actual, bytes } = await response;
  expect(actual).toBe(status);
  const body = JSON.parse(Buffer.from(bytes).toString());
  expect(body).toMatchObject({ code: status, reason });
  expect(body.message.length).toBeGreaterThan(10);
}

describe('TSA over HTTP', () => {
  it('timestamps a DER request: nonce echoed, certificate included, verifiable with @sigil/tsa', async () => {
    const signature = randomBytes(71);
    const nonce = Uint8Array.of(0x00, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10);
    const { status, type, bytes } = await post(derRequest(sha256(signature), { nonce, certReq: true }), 'application/timestamp-query');
    expect(status).toBe(200);
    expect(type).toBe('application/timestamp-reply');
    const token = parseTimestampToken(bytes);
    expect(token.policy).toBe(TSA_POLICY);
    expect(token.messageImprint).toEqual({ algorithm: 'sha256', digest: sha256(signature) });
    expect(token.nonce).toBe(encodeHex(nonce));
    expect(token.embeddedCertificates.map((cert) => cert.der)).toEqual([tsa.certChain[0]]);
    expect(Math.abs(token.genTime.getTime() - Date.now())).toBeLessThan(5_000);
    expect(token.genTime.getMilliseconds()).toBe(0);
    expect(verifyTimestampToken(token, { data: signature, authorities: authorities() })).toEqual({ genTime: token.genTime, authority: 0 });
  });

  it("timestamps sigstore-js's JSON request; the token then carries no certificate", async () => {
    const signature = randomBytes(64);
    const json = JSON.stringify({ artifactHash: encodeBase64(sha256(signature)), hashAlgorithm: 'sha256' });
    const { status, bytes } = await post(json, 'application/json');
    expect(status).toBe(200);
    const token = parseTimestampToken(bytes);
    expect(token.embeddedCertificates).toEqual([]);
    expect(token.nonce).toBeUndefined();
    expect(verifyTimestampToken(token, { data: signature, authorities: authorities() }).authority).toBe(0);
  });

  it('takes a JSON nonce (number or decimal string), certificates: true, SHA-384 and its own policy', async () => {
    const signature = randomBytes(96);
    const digest = hash('sha384', signature);
    const json = JSON.stringify({ artifactHash: encodeBase64(digest), hashAlgorithm: 'SHA384', nonce: '340282366920938463463374607431768211455', certificates: true, tsaPolicyOID: TSA_POLICY });
    const token = parseTimestampToken((await post(json, 'application/json; charset=utf-8')).bytes);
    expect(token.messageImprint.algorithm).toBe('sha384');
    expect(token.nonce).toBe(`00${'ff'.repeat(16)}`);
    expect(token.embeddedCertificates).toHaveLength(1);
    verifyTimestampToken(token, { data: signature, authorities: authorities() });
    const small = parseTimestampToken((await post(JSON.stringify({ artifactHash: encodeBase64(sha256(signature)), hashAlgorithm: 'sha256', nonce: 1234 }), 'application/json')).bytes);
    expect(small.nonce).toBe('04d2');
  });

  it('has a leaf for timestamps only (critical EKU timeStamping) under its root', () => {
    const [leaf, root] = tsa.certChain.map((der) => parseCertificate(der)) as [ReturnType<typeof parseCertificate>, ReturnType<typeof parseCertificate>];
    expect(leaf.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.8']);
    expect(leaf.extensions.find((ext) => ext.oid === '2.5.29.37')?.critical).toBe(true);
    expect([...leaf.keyUsage!]).toEqual(['digitalSignature']);
    expect(root.basicConstraints?.ca).toBe(true);
    expect(verifyCertificatePath(leaf, [root], new Date(), { leafPurpose: 'timeStamping' })).toHaveLength(2);
  });

  it('serves its chain as PEM, leaf first', async () => {
    const response = await fetch(`${url}/certchain`);
    expect(response.headers.get('content-type')).toBe('application/pem-certificate-chain');
    expect(decodePemBlocks(await response.text()).map((block) => block.der)).toEqual(tsa.certChain);
  });

  it.each([
    ['a content type it does not take', () => post('x', 'text/plain'), 415, 'TSA_CONTENT_TYPE_UNSUPPORTED'],
    ['garbage DER', () => post(Uint8Array.of(0x30, 0x82, 0x01), 'application/timestamp-query'), 400, 'TSA_REQUEST_MALFORMED'],
    ['DER with trailing bytes', () => post(Uint8Array.from([...derRequest(new Uint8Array(32)), 0]), 'application/timestamp-query'), 400, 'TSA_REQUEST_MALFORMED'],
    ['version 2', () => post(derRequest(new Uint8Array(32), { version: 2 }), 'application/timestamp-query'), 400, 'TSA_REQUEST_MALFORMED'],
    ['a SHA-1 imprint', () => post(derRequest(new Uint8Array(20), { hashOid: SHA.sha1 }), 'application/timestamp-query'), 400, 'TSA_HASH_UNSUPPORTED'],
    ['an imprint of the wrong length', () => post(derRequest(new Uint8Array(31)), 'application/timestamp-query'), 400, 'TSA_DIGEST_LENGTH'],
    ['another policy', () => post(derRequest(new Uint8Array(32), { reqPolicy: '1.2.3.4' }), 'application/timestamp-query'), 400, 'TSA_POLICY_UNACCEPTED'],
    ['request extensions', () => post(derRequest(new Uint8Array(32), { extensions: true }), 'application/timestamp-query'), 400, 'TSA_EXTENSION_UNACCEPTED'],
    ['a nonce over 64 bytes', () => post(derRequest(new Uint8Array(32), { nonce: new Uint8Array(65).fill(1) }), 'application/timestamp-query'), 400, 'TSA_REQUEST_MALFORMED'],
    ['broken JSON', () => post('{"artifactHash":', 'application/json'), 400, 'TSA_REQUEST_MALFORMED'],
    ['a JSON array', () => post('[]', 'application/json'), 400, 'TSA_REQUEST_MALFORMED'],
    ['JSON without artifactHash', () => post('{"hashAlgorithm":"sha256"}', 'application/json'), 400, 'TSA_REQUEST_MALFORMED'],
    ['JSON without hashAlgorithm', () => post(`{"artifactHash":"${encodeBase64(new Uint8Array(32))}"}`, 'application/json'), 400, 'TSA_REQUEST_MALFORMED'],
    ['JSON with artifactHash not base64', () => post('{"artifactHash":"***","hashAlgorithm":"sha256"}', 'application/json'), 400, 'TSA_REQUEST_MALFORMED'],
    ['JSON asking for SHA-1', () => post(`{"artifactHash":"${encodeBase64(new Uint8Array(20))}","hashAlgorithm":"sha1"}`, 'application/json'), 400, 'TSA_HASH_UNSUPPORTED'],
    ['JSON with a short digest', () => post(`{"artifactHash":"${encodeBase64(new Uint8Array(8))}","hashAlgorithm":"sha256"}`, 'application/json'), 400, 'TSA_DIGEST_LENGTH'],
    ['JSON with a negative nonce', () => post(`{"artifactHash":"${encodeBase64(new Uint8Array(32))}","hashAlgorithm":"sha256","nonce":-1}`, 'application/json'), 400, 'TSA_REQUEST_MALFORMED'],
    ['JSON with a fractional nonce', () => post(`{"artifactHash":"${encodeBase64(new Uint8Array(32))}","hashAlgorithm":"sha256","nonce":1.5}`, 'application/json'), 400, 'TSA_REQUEST_MALFORMED'],
    ['JSON with certificates "yes"', () => post(`{"artifactHash":"${encodeBase64(new Uint8Array(32))}","hashAlgorithm":"sha256","certificates":"yes"}`, 'application/json'), 400, 'TSA_REQUEST_MALFORMED'],
    ['JSON with another policy', () => post(`{"artifactHash":"${encodeBase64(new Uint8Array(32))}","hashAlgorithm":"sha256","tsaPolicyOID":"1.2.3"}`, 'application/json'), 400, 'TSA_POLICY_UNACCEPTED'],
    ['JSON with a policy that is not an OID', () => post(`{"artifactHash":"${encodeBase64(new Uint8Array(32))}","hashAlgorithm":"sha256","tsaPolicyOID":"policy"}`, 'application/json'), 400, 'TSA_REQUEST_MALFORMED'],
  ])('refuses %s', async (_, send, status, reason) => {
    await expectRefusal(send(), status, reason);
  });

  it('refuses a body over 4 KiB with 413, and GET with 405', async () => {
    expect((await post(new Uint8Array(5000), 'application/timestamp-query')).status).toBe(413);
    expect((await fetch(url)).status).toBe(405);
  });

  it('keeps its keys and certificates across a restart on the same dir', async () => {
    for (const file of ['tsa-root-key.pem', 'tsa-leaf-key.pem']) {
      expect(statSync(join(state.dir, file)).mode & 0o777, file).toBe(0o600);
      expect(readFileSync(join(state.dir, file), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    }
    const again = createTimestampAuthority({ dir: state.dir });
    expect(again.certChain).toEqual(tsa.certChain);
    server.setRoutes(again.routes);
    const signature = randomBytes(70);
    const token = parseTimestampToken((await post(derRequest(sha256(signature)), 'application/timestamp-query')).bytes);
    verifyTimestampToken(token, { data: signature, authorities: authorities() });
  });

  it('refuses a state dir whose certificate is not of the key beside it', () => {
    const other = temporaryDirectory('tsa-other');
    try {
      createTimestampAuthority({ dir: other.dir });
      writeFileSync(join(other.dir, 'tsa-leaf.pem'), readFileSync(join(state.dir, 'tsa-leaf.pem')));
      expect(stackErrorCode(() => createTimestampAuthority({ dir: other.dir }))).toBe('STACK_STATE_INVALID');
      writeFileSync(join(other.dir, 'tsa-leaf.pem'), 'not PEM');
      expect(stackErrorCode(() => createTimestampAuthority({ dir: other.dir }))).toBe('STACK_STATE_INVALID');
    } finally {
      other.remove();
    }
  });
});

describe("sigstore-js's own TSA client and timestamp verifier", () => {
  const require = createRequire(import.meta.url);
  const fromSigstore = createRequire(require.resolve('sigstore'));
  const { TSAWitness } = fromSigstore('@sigstore/sign');
  const fromVerify = createRequire(fromSigstore.resolve('@sigstore/verify'));
  const { RFC3161Timestamp, X509Certificate } = fromVerify('@sigstore/core');
  const { verifyRFC3161Timestamp } = fromVerify('@sigstore/verify/dist/timestamp/tsa.js');

  it('TSAWitness gets a timestamp that sigstore-js and Sigil both verify', async () => {
    const signature = randomBytes(72);
    const witness = new TSAWitness({ tsaBaseURL: server.url });
    const { rfc3161Timestamps } = await witness.testify({ $case: 'messageSignature', messageSignature: { signature } });
    const bytes: Buffer = rfc3161Timestamps[0].signedTimestamp;
    const timestamp = RFC3161Timestamp.parse(bytes);
    const chain = tsa.certChain.map((der) => X509Certificate.parse(Buffer.from(der)));
    const authority = { certChain: chain, validFor: { start: new Date(0), end: new Date(8.64e15) } };
    expect(() => verifyRFC3161Timestamp(timestamp, signature, [authority])).not.toThrow();
    expect(() => verifyRFC3161Timestamp(timestamp, randomBytes(72), [authority])).toThrow();
    const token = parseTimestampToken(new Uint8Array(bytes));
    verifyTimestampToken(token, { data: signature, authorities: authorities() });
  });

  it("sigstore-js also verifies the DER form's token, certificate included", async () => {
    const signature = randomBytes(72);
    const { bytes } = await post(derRequest(sha256(signature), { certReq: true, nonce: Uint8Array.of(7) }), 'application/timestamp-query');
    const chain = tsa.certChain.map((der) => X509Certificate.parse(Buffer.from(der)));
    verifyRFC3161Timestamp(RFC3161Timestamp.parse(Buffer.from(bytes)), signature, [{ certChain: chain, validFor: { start: new Date(0), end: new Date(8.64e15) } }]);
  });
});
