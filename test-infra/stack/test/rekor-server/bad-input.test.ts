// Every bad request gets a 4xx `{code, message}` naming its cause, and leaves the log as it was.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64, encodeHex, utf8Encode } from '@sigil/encoding';
import { createCertificateAuthority } from '../../src/index.js';
import { createEntrySigner } from './support/entries.js';
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

/** Sends a request, expects `status` and a `{code, message}` body, and checks the log did not change. */
async function refused(send: () => Promise<Reply>, status: number): Promise<Reply> {
  const before = await treeHead();
  const reply = await send();
  expect(reply.status, reply.text).toBe(status);
  expect(reply.json).toEqual({ code: status, message: expect.any(String) });
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
    await refused(() => postJson(`${rekor.url}/api/v1/log/entries`, '{"apiVersion":'), 400);
    await refused(() => postJson(`${rekor.url}/api/v1/log/entries`, ''), 400);
    await refused(() => request(`${rekor.url}/api/v1/log/entries`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(signer.hashedRekord().proposed) }), 415);
    await refused(() => request(`${rekor.url}/api/v1/log/entries`, { method: 'POST', body: JSON.stringify(signer.hashedRekord().proposed) }), 415);
    const huge = hashedRekord((spec) => (spec.padding = 'x'.repeat(100 * 1024)));
    await refused(post(huge), 413);
  });

  it('entries of unknown kinds or versions, or of the wrong shape', async () => {
    for (const value of [null, [], 'hashedrekord', 42]) await refused(post(value), 400);
    await refused(post({ ...signer.hashedRekord().proposed, kind: 'rekord' }), 400);
    await refused(post({ ...signer.hashedRekord().proposed, kind: 'intoto', apiVersion: '0.0.2' }), 400);
    await refused(post({ ...signer.hashedRekord().proposed, apiVersion: '0.0.2' }), 400);
    await refused(post({ ...signer.hashedRekord().proposed, apiVersion: 1 }), 400);
    await refused(post({ ...signer.hashedRekord().proposed, spec: undefined }), 400);
    await refused(post({ ...signer.dsse().proposed, apiVersion: '0.0.2' }), 400);
  });

  it('hashedrekord entries with a bad digest, signature or key encoding', async () => {
    const cases: ((spec: Record<string, any>) => void)[] = [
      (spec) => delete spec.data,
      (spec) => (spec.data.hash = 'sha256:abc'),
      (spec) => (spec.data.hash.algorithm = 'md5'),
      (spec) => delete spec.data.hash.algorithm,
      (spec) => (spec.data.hash.value = spec.data.hash.value.slice(2)),
      (spec) => (spec.data.hash.value = `zz${spec.data.hash.value.slice(2)}`),
      (spec) => (spec.data.hash.algorithm = 'sha512'),
      (spec) => (spec.signature.content = '%%%not base64%%%'),
      (spec) => (spec.signature.content = ''),
      (spec) => delete spec.signature.publicKey,
      (spec) => (spec.signature.publicKey.content = 'not base64!'),
      (spec) => (spec.signature.publicKey.content = encodeBase64(utf8Encode('no PEM here'))),
      (spec) => (spec.signature.publicKey.content = base64Pem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')),
      (spec) => (spec.signature.publicKey.content = base64Pem('-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n')),
      (spec) => (spec.signature.publicKey.content = base64Pem('-----BEGIN PUBLIC KEY-----\nMIIBAAAA\n-----END PUBLIC KEY-----\n')),
      (spec) => (spec.signature.publicKey.content = base64Pem(`${signer.certificatePem}-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n`)),
      (spec) => (spec.signature.publicKey.content = base64Pem(signer.certificatePem.repeat(11))),
    ];
    for (const edit of cases) await refused(post(hashedRekord(edit)), 400);
  });

  it('hashedrekord entries whose signature does not verify', async () => {
    const other = signer.hashedRekord();
    await refused(post(hashedRekord((spec) => (spec.data.hash.value = encodeHex(other.digest)))), 400);
    await refused(post(hashedRekord((spec) => (spec.signature.content = encodeBase64(other.signature)))), 400);
    await refused(post(hashedRekord((spec) => (spec.signature.content = encodeBase64(utf8Encode('not a DER signature'))))), 400);
    await refused(post(hashedRekord((spec) => (spec.signature.publicKey.content = base64Pem(stranger.certificatePem)))), 400);
    // Ed25519 signs whole messages: a digest alone cannot be checked.
    const { publicKey } = generateKeyPairSync('ed25519');
    await refused(post(hashedRekord((spec) => (spec.signature.publicKey.content = base64Pem(publicKey.export({ format: 'pem', type: 'spki' }) as string)))), 400);
  });

  it('certificates that do not chain to a trusted CA', async () => {
    await refused(post(stranger.hashedRekord().proposed), 400);
    await refused(post(stranger.dsse().proposed), 400);
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
    for (const edit of contentCases) await refused(post(dsse(() => {}, edit)), 400);
    // The fields the log computes cannot come with the proposal.
    const computed = dsse(() => {});
    computed.spec.envelopeHash = { algorithm: 'sha256', value: '00'.repeat(32) };
    await refused(post(computed), 400);
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
    for (const edit of envelopeCases) await refused(post(dsse(edit)), 400);
  });

  it('dsse entries whose signatures do not verify over the PAE', async () => {
    const other = signer.dsse();
    await refused(post(dsse((envelope) => (envelope.payloadType = 'text/plain'))), 400);
    await refused(post(dsse((envelope) => (envelope.signatures[0].sig = encodeBase64(other.signature)))), 400);
    // A second signature no verifier claims; a verifier that claims nothing.
    await refused(post(dsse((envelope) => envelope.signatures.push({ sig: encodeBase64(other.signature), keyid: '' }))), 400);
    const { proposed } = stranger.dsse();
    const content = proposed.spec.proposedContent;
    content.verifiers = [signer.dsse().proposed.spec.proposedContent.verifiers[0], ...content.verifiers];
    await refused(post(proposed), 400);
  });
});

describe('reads refuse', () => {
  it('malformed UUIDs and indexes (400), entries the log lacks (404)', async () => {
    for (const id of ['xyz', 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64), 'a'.repeat(81)]) await refused(() => request(`${rekor.url}/api/v1/log/entries/${id}`), 400);
    for (const index of ['-1', 'x', '1.5', '', '99999999999999999999', '9223372036854775808']) {
      await refused(() => request(`${rekor.url}/api/v1/log/entries?logIndex=${index}`), 400);
    }
    await refused(() => request(`${rekor.url}/api/v1/log/entries`), 400);
    await refused(() => request(`${rekor.url}/api/v1/log/entries?logIndex=9223372036854775807`), 404);
    await refused(() => request(`${rekor.url}/api/v1/log/entries/${'b'.repeat(64)}`), 404);
  });

  it('bad searches', async () => {
    const retrieve = (value: unknown) => () => postJson(`${rekor.url}/api/v1/log/entries/retrieve`, value);
    await refused(retrieve({}), 400);
    await refused(retrieve([]), 400);
    await refused(retrieve({ entryUUIDs: [] }), 400);
    await refused(retrieve({ entryUUIDs: 'a'.repeat(64) }), 400);
    await refused(retrieve({ entryUUIDs: [42] }), 400);
    await refused(retrieve({ entryUUIDs: ['nothex'] }), 400);
    await refused(retrieve({ logIndexes: [-1] }), 400);
    await refused(retrieve({ logIndexes: ['1'] }), 400);
    await refused(retrieve({ logIndexes: [1.5] }), 400);
    await refused(retrieve({ entries: [{ kind: 'nope' }] }), 400);
    await refused(retrieve({ logIndexes: Array.from({ length: 11 }, (_, i) => i) }), 422);
    await refused(retrieve({ logIndexes: [0, 1, 2, 3, 4, 5], entryUUIDs: ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64), 'd'.repeat(64), 'e'.repeat(64)] }), 422);
    await refused(() => request(`${rekor.url}/api/v1/log/entries/retrieve`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }), 415);
  });

  it('impossible consistency proofs', async () => {
    const size = (await treeHead()).treeSize as number;
    const proof = (query: string) => () => request(`${rekor.url}/api/v1/log/proof?${query}`);
    await refused(proof(''), 400);
    await refused(proof('firstSize=1'), 400);
    await refused(proof(`firstSize=0&lastSize=${size}`), 400);
    await refused(proof('lastSize=0'), 400);
    await refused(proof(`firstSize=${size + 1}&lastSize=${size}`), 400);
    await refused(proof(`lastSize=${size + 1}`), 400);
    await refused(proof('lastSize=abc'), 400);
    await refused(proof(`lastSize=${size}&treeID=1`), 400);
  });

  it('unknown paths (404) and methods (405)', async () => {
    await refused(() => request(`${rekor.url}/api/v1/log/nothing`), 404);
    await refused(() => request(`${rekor.url}/api/v1/log`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 405);
    await refused(() => request(`${rekor.url}/api/v1/log/entries`, { method: 'DELETE' }), 405);
  });
});
