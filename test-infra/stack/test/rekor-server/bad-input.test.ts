// Every bad request gets a 4xx `{code, message}` naming its cause, and leaves the log as it was.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64, encodeHex, utf8Encode } from '@sigil/encoding';
import { createCertificateAuthority } from '../../src/index.js';
import { createEntrySigner } from './support/entries.js';
import { REKOR_REASON_STATUS, type RekorReason } from '../../src/rekor-server/reasons.js';
import { postEntry, postJson, request, startRekor, type Reply, type RunningRekor } from './support/rekor.js';

const ca = createCertificateAuthority();
const signer = createEntrySigner(ca);
const stranger = createEntrySigner(createCertificateAuthority());
let rekor: RunningRekor;

beforeAll(async () => {
  rekor = await startRekor({ trustedCas: () => [ca.chain.slice()], maxBodyBytes: 64 * 1024 });
  expect((await postEntry(rekor.url, signer.hashedRekord().proposed)).status).toBe(201);
});
afterAll(() => rekor.stop(true));

const treeHead = async () => (await request(`${rekor.url}/api/v1/log`)).json;

/**
 * Sends a request, expects the reason's status and a `{code, message, reason}` body (or a bare
 * status for the shared router's 404 and 405), and checks the log did not change.
 */
async function refused(send: () => Promise<Reply>, expected: RekorReason | 404 | 405): Promise<Reply> {
  const before = await treeHead();
  const reply = await send();
  const status = typeof expected === 'number' ? expected : REKOR_REASON_STATUS[expected];
  expect(reply.status, reply.text).toBe(status);
  expect(reply.json).toEqual({ code: status, message: expect.any(String), ...(typeof expected === 'number' ? {} : { reason: expected }) });
  expect(reply.json.message.length).toBeGreaterThan(10);
  expect(await treeHead()).toEqual(before);
  return reply;
}

const post = (value: unknown) => () => postEntry(rekor.url, value);
const base64Pem = (pem: string) => encodeBase64(utf8Encode(pem));

/** A valid hashedrekord with one part replaced. */
function hashedRekord(edit: (spec: Record<string, any>) => void): Record<string, any> {
  const { proposed } = signer.hashedRekord();
  edit(proposed.spec);
  return proposed;
}

/** A valid dsse entry with its envelope (first) or its proposed content (second) edited. */
function dsse(editEnvelope: (envelope: Record<string, any>) => void, editContent: (content: Record<string, any>) => void = () => {}): Record<string, any> {
  const { proposed, envelope } = signer.dsse();
  editEnvelope(envelope);
  proposed.spec.proposedContent.envelope = JSON.stringify(envelope);
  editContent(proposed.spec.proposedContent);
  return proposed;
}

describe('POST /api/v1/log/entries refuses', () => {
  it('a body that is not JSON (400), not JSON by its content type (415), or over the limit (413)', async () => {
    await refused(() => postJson(`${rekor.url}/api/v1/log/entries`, '{"apiVersion":'), 'REKOR_BODY_MALFORMED');
    await refused(() => postJson(`${rekor.url}/api/v1/log/entries`, ''), 'REKOR_BODY_MALFORMED');
    await refused(() => request(`${rekor.url}/api/v1/log/entries`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(signer.hashedRekord().proposed) }), 'REKOR_CONTENT_TYPE');
    await refused(() => request(`${rekor.url}/api/v1/log/entries`, { method: 'POST', body: JSON.stringify(signer.hashedRekord().proposed) }), 'REKOR_CONTENT_TYPE');
    const huge = hashedRekord((spec) => (spec.padding = 'x'.repeat(100 * 1024)));
    await refused(post(huge), 'REKOR_BODY_TOO_LARGE');
  });

  it('entries of unknown kinds or versions, or of the wrong shape', async () => {
    for (const value of [null, [], '"hashedrekord"', 42]) await refused(post(value), 'REKOR_ENTRY_MALFORMED');
    await refused(post({ ...signer.hashedRekord().proposed, kind: 'rekord' }), 'REKOR_KIND_UNSUPPORTED');
    await refused(post({ ...signer.hashedRekord().proposed, kind: 'intoto', apiVersion: '0.0.2' }), 'REKOR_KIND_UNSUPPORTED');
    await refused(post({ ...signer.hashedRekord().proposed, apiVersion: '0.0.2' }), 'REKOR_KIND_UNSUPPORTED');
    await refused(post({ ...signer.hashedRekord().proposed, apiVersion: 1 }), 'REKOR_ENTRY_MALFORMED');
    await refused(post({ ...signer.hashedRekord().proposed, spec: undefined }), 'REKOR_ENTRY_MALFORMED');
    await refused(post({ ...signer.dsse().proposed, apiVersion: '0.0.2' }), 'REKOR_KIND_UNSUPPORTED');
  });

  it('hashedrekord entries with a bad digest, signature or key encoding', async () => {
    const cases: [RekorReason, (spec: Record<string, any>) => void][] = [
      ['REKOR_ENTRY_MALFORMED', (spec) => delete spec.data],
      ['REKOR_ENTRY_MALFORMED', (spec) => (spec.data.hash = 'sha256:abc')],
      ['REKOR_ENTRY_MALFORMED', (spec) => (spec.data.hash.algorithm = 'md5')],
      ['REKOR_ENTRY_MALFORMED', (spec) => delete spec.data.hash.algorithm],
      ['REKOR_ENTRY_MALFORMED', (spec) => (spec.data.hash.value = spec.data.hash.value.slice(2))],
      ['REKOR_ENTRY_MALFORMED', (spec) => (spec.data.hash.value = `zz${spec.data.hash.value.slice(2)}`)],
      ['REKOR_ENTRY_MALFORMED', (spec) => (spec.data.hash.algorithm = 'sha512')],
      ['REKOR_ENTRY_MALFORMED', (spec) => (spec.signature.content = '%%%not base64%%%')],
      ['REKOR_ENTRY_MALFORMED', (spec) => (spec.signature.content = '')],
      ['REKOR_ENTRY_MALFORMED', (spec) => delete spec.signature.publicKey],
      ['REKOR_ENTRY_MALFORMED', (spec) => (spec.signature.publicKey.content = 'not base64!')],
      ['REKOR_ENTRY_MALFORMED', (spec) => (spec.signature.publicKey.content = encodeBase64(utf8Encode('no PEM here')))],
      ['REKOR_ENTRY_MALFORMED', (spec) => (spec.signature.publicKey.content = base64Pem(signer.certificatePem.repeat(11)))],
      ['REKOR_KEY_UNSUPPORTED', (spec) => (spec.signature.publicKey.content = base64Pem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'))],
      ['REKOR_KEY_UNSUPPORTED', (spec) => (spec.signature.publicKey.content = base64Pem('-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n'))],
      ['REKOR_KEY_UNSUPPORTED', (spec) => (spec.signature.publicKey.content = base64Pem('-----BEGIN PUBLIC KEY-----\nMIIBAAAA\n-----END PUBLIC KEY-----\n'))],
      ['REKOR_KEY_UNSUPPORTED', (spec) => (spec.signature.publicKey.content = base64Pem(`${signer.certificatePem}-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n`))],
    ];
    for (const [reason, edit] of cases) await refused(post(hashedRekord(edit)), reason);
  });

  it('hashedrekord entries whose signature does not verify', async () => {
    const other = signer.hashedRekord();
    await refused(post(hashedRekord((spec) => (spec.data.hash.value = encodeHex(other.digest)))), 'REKOR_SIGNATURE_INVALID');
    await refused(post(hashedRekord((spec) => (spec.signature.content = encodeBase64(other.signature)))), 'REKOR_SIGNATURE_INVALID');
    await refused(post(hashedRekord((spec) => (spec.signature.content = encodeBase64(utf8Encode('not a DER signature'))))), 'REKOR_SIGNATURE_INVALID');
    await refused(post(hashedRekord((spec) => (spec.signature.publicKey.content = base64Pem(stranger.certificatePem)))), 'REKOR_CERTIFICATE_UNTRUSTED');
    // Ed25519 signs whole messages: a digest alone cannot be checked.
    const { publicKey } = generateKeyPairSync('ed25519');
    await refused(post(hashedRekord((spec) => (spec.signature.publicKey.content = base64Pem(publicKey.export({ format: 'pem', type: 'spki' }) as string)))), 'REKOR_KEY_UNSUPPORTED');
  });

  it('certificates that do not chain to a trusted CA', async () => {
    await refused(post(stranger.hashedRekord().proposed), 'REKOR_CERTIFICATE_UNTRUSTED');
    await refused(post(stranger.dsse().proposed), 'REKOR_CERTIFICATE_UNTRUSTED');
  });

  it('dsse entries with a bad envelope or verifiers', async () => {
    const contentCases: ((content: Record<string, any>) => void)[] = [
      (content) => (content.envelope = '{"payload":'),
      (content) => (content.envelope = 42),
      (content) => delete content.envelope,
      (content) => (content.verifiers = []),
      (content) => (content.verifiers = 'x'),
      (content) => (content.verifiers = [42]),
      (content) => (content.verifiers = Array.from({ length: 17 }, () => content.verifiers[0])),
      (content) => (content.verifiers = [base64Pem('not pem')]),
    ];
    for (const edit of contentCases) await refused(post(dsse(() => {}, edit)), 'REKOR_ENTRY_MALFORMED');
    // The fields the log computes cannot come with the proposal.
    const computed = dsse(() => {});
    computed.spec.envelopeHash = { algorithm: 'sha256', value: '00'.repeat(32) };
    await refused(post(computed), 'REKOR_ENTRY_MALFORMED');
    const envelopeCases: ((envelope: Record<string, any>) => void)[] = [
      (envelope) => delete envelope.payload,
      (envelope) => (envelope.payload = '***'),
      (envelope) => (envelope.payloadType = ''),
      (envelope) => (envelope.signatures = []),
      (envelope) => (envelope.signatures = [{ keyid: '' }]),
      (envelope) => (envelope.signatures[0].sig = 'not base64!'),
      (envelope) => (envelope.signatures = Array.from({ length: 17 }, () => envelope.signatures[0])),
      (envelope) => (envelope.signatures = {}),
    ];
    for (const edit of envelopeCases) await refused(post(dsse(edit)), 'REKOR_ENTRY_MALFORMED');
  });

  it('dsse entries whose signatures do not verify over the PAE', async () => {
    const other = signer.dsse();
    await refused(post(dsse((envelope) => (envelope.payloadType = 'text/plain'))), 'REKOR_SIGNATURE_INVALID');
    await refused(post(dsse((envelope) => (envelope.signatures[0].sig = encodeBase64(other.signature)))), 'REKOR_SIGNATURE_INVALID');
    // A second signature no verifier claims; a verifier that claims nothing.
    await refused(post(dsse((envelope) => envelope.signatures.push({ sig: encodeBase64(other.signature), keyid: '' }))), 'REKOR_SIGNATURE_INVALID');
    const { proposed } = stranger.dsse();
    const content = proposed.spec.proposedContent;
    content.verifiers = [signer.dsse().proposed.spec.proposedContent.verifiers[0], ...content.verifiers];
    await refused(post(proposed), 'REKOR_SIGNATURE_INVALID');
  });
});

describe('reads refuse', () => {
  it('malformed UUIDs and indexes (400), entries the log lacks (404)', async () => {
    for (const id of ['xyz', 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64), 'a'.repeat(81)]) await refused(() => request(`${rekor.url}/api/v1/log/entries/${id}`), 'REKOR_QUERY_INVALID');
    for (const index of ['-1', 'x', '1.5', '', '99999999999999999999', '9223372036854775808']) {
      await refused(() => request(`${rekor.url}/api/v1/log/entries?logIndex=${index}`), 'REKOR_QUERY_INVALID');
    }
    await refused(() => request(`${rekor.url}/api/v1/log/entries`), 'REKOR_QUERY_INVALID');
    await refused(() => request(`${rekor.url}/api/v1/log/entries?logIndex=9223372036854775807`), 'REKOR_ENTRY_NOT_FOUND');
    await refused(() => request(`${rekor.url}/api/v1/log/entries/${'b'.repeat(64)}`), 'REKOR_ENTRY_NOT_FOUND');
  });

  it('bad searches', async () => {
    const retrieve = (value: unknown) => () => postJson(`${rekor.url}/api/v1/log/entries/retrieve`, value);
    for (const query of [{}, [], { entryUUIDs: [] }, { entryUUIDs: 'a'.repeat(64) }, { entryUUIDs: [42] }, { entryUUIDs: ['nothex'] }, { logIndexes: [-1] }, { logIndexes: ['1'] }, { logIndexes: [1.5] }]) {
      await refused(retrieve(query), 'REKOR_QUERY_INVALID');
    }
    await refused(retrieve({ entries: [{ kind: 'nope' }] }), 'REKOR_ENTRY_MALFORMED');
    await refused(retrieve({ entries: [signer.hashedRekord().proposed].map((proposed) => ({ ...proposed, spec: { ...proposed.spec, data: stranger.hashedRekord().proposed.spec.data } })) }), 'REKOR_SIGNATURE_INVALID');
    await refused(retrieve({ logIndexes: Array.from({ length: 11 }, (_, i) => i) }), 'REKOR_QUERY_TOO_LARGE');
    await refused(retrieve({ logIndexes: [0, 1, 2, 3, 4, 5], entryUUIDs: ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64), 'd'.repeat(64), 'e'.repeat(64)] }), 'REKOR_QUERY_TOO_LARGE');
    await refused(() => request(`${rekor.url}/api/v1/log/entries/retrieve`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }), 'REKOR_CONTENT_TYPE');
  });

  it('impossible consistency proofs', async () => {
    const size = (await treeHead()).treeSize as number;
    const proof = (query: string) => () => request(`${rekor.url}/api/v1/log/proof?${query}`);
    await refused(proof(''), 'REKOR_QUERY_INVALID');
    await refused(proof('firstSize=1'), 'REKOR_QUERY_INVALID');
    await refused(proof(`firstSize=0&lastSize=${size}`), 'REKOR_QUERY_INVALID');
    await refused(proof('lastSize=0'), 'REKOR_QUERY_INVALID');
    await refused(proof(`firstSize=${size + 1}&lastSize=${size}`), 'REKOR_QUERY_INVALID');
    await refused(proof(`lastSize=${size + 1}`), 'REKOR_QUERY_INVALID');
    await refused(proof('lastSize=abc'), 'REKOR_QUERY_INVALID');
    await refused(proof(`lastSize=${size}&treeID=1`), 'REKOR_QUERY_INVALID');
  });

  it('unknown paths (404) and methods (405)', async () => {
    await refused(() => request(`${rekor.url}/api/v1/log/nothing`), 404);
    await refused(() => request(`${rekor.url}/api/v1/log`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 405);
    await refused(() => request(`${rekor.url}/api/v1/log/entries`, { method: 'DELETE' }), 405);
  });
});
