import { readFileSync } from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, decodeBase64, derToPem, utf8Decode, utf8Encode } from '@sigil/encoding';
import { sha256 } from '@sigil/crypto';
import { parseEntryBody } from '../../src/index.js';
import { dsseProposal, hashedRekordProposal, RekorClientError } from '../../src/client/index.js';

const corpus = (path: string) => JSON.parse(readFileSync(new URL(`../../../../test-infra/fixtures/corpus/${path}`, import.meta.url), 'utf8'));

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicKeyPem = keys.publicKey.export({ format: 'pem', type: 'spki' }) as string;
const artifact = utf8Encode('hello');
const signature = new Uint8Array(sign('sha256', artifact, keys.privateKey));

function expectInvalid(build: () => unknown): void {
  let err: unknown;
  try {
    build();
  } catch (thrown) {
    err = thrown;
  }
  expect(err).toBeInstanceOf(RekorClientError);
  expect((err as RekorClientError).code).toBe('REKOR_CLIENT_INPUT_INVALID');
}

describe('hashedRekordProposal', () => {
  it.each(['py-v03-staging-ghoauth', 'java-v03alt-prod-google'])(
    '%s: with canonical PEM, its canonical JSON is the body the public-good log stored',
    (name) => {
      const bundle = corpus(`${name}/bundle.json`);
      const entry = bundle.verificationMaterial.tlogEntries[0];
      const proposal = hashedRekordProposal({
        digest: decodeBase64(bundle.messageSignature.messageDigest.digest),
        signature: decodeBase64(bundle.messageSignature.signature),
        certificatePem: derToPem(decodeBase64(bundle.verificationMaterial.certificate.rawBytes), 'CERTIFICATE'),
      });
      expect(canonicalJson(proposal)).toBe(utf8Decode(decodeBase64(entry.canonicalizedBody)));
    },
  );

  it('a public key proposal reads back as the entry it describes', () => {
    const digest = sha256(artifact);
    const proposal = hashedRekordProposal({ digest, signature, publicKeyPem });
    expect(proposal).toEqual({
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        data: { hash: { algorithm: 'sha256', value: Buffer.from(digest).toString('hex') } },
        signature: { content: Buffer.from(signature).toString('base64'), publicKey: { content: Buffer.from(publicKeyPem).toString('base64') } },
      },
    });
    const logged = parseEntryBody(utf8Encode(canonicalJson(proposal)), { kind: 'hashedrekord', version: '0.0.1' });
    expect(logged.artifactDigest).toEqual({ algorithm: 'sha256', digest });
    expect(logged.signatures).toEqual([signature]);
    expect(logged.verifiers[0]!.type).toBe('publicKey');
  });

  it('takes sha384 and sha512 digests when told', () => {
    const proposal = hashedRekordProposal({ digest: new Uint8Array(48), algorithm: 'sha384', signature, publicKeyPem });
    expect((proposal.spec.data as { hash: { algorithm: string } }).hash.algorithm).toBe('sha384');
  });

  it.each([
    ['a digest of the wrong size', { digest: new Uint8Array(31), signature, publicKeyPem }],
    ['a digest that is not bytes', { digest: 'ab'.repeat(32), signature, publicKeyPem }],
    ['an unknown algorithm', { digest: new Uint8Array(32), algorithm: 'md5', signature, publicKeyPem }],
    ['an empty signature', { digest: new Uint8Array(32), signature: new Uint8Array(0), publicKeyPem }],
    ['no verifier', { digest: new Uint8Array(32), signature }],
    ['both verifiers', { digest: new Uint8Array(32), signature, publicKeyPem, certificatePem: publicKeyPem }],
    ['a key where a certificate belongs', { digest: new Uint8Array(32), signature, certificatePem: publicKeyPem }],
    ['text that is not PEM', { digest: new Uint8Array(32), signature, publicKeyPem: 'MFkwEw...' }],
    ['two public keys', { digest: new Uint8Array(32), signature, publicKeyPem: publicKeyPem + publicKeyPem }],
    ['nothing at all', undefined],
  ])('%s: REKOR_CLIENT_INPUT_INVALID', (_name, fields) => {
    expectInvalid(() => hashedRekordProposal(fields as never));
  });
});

describe('dsseProposal', () => {
  const envelopeJson = JSON.stringify({ payload: 'e30=', payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: 'MEUC', keyid: '' }] });

  it('carries the envelope string as given and base64 of each verifier PEM', () => {
    const certificatePem = derToPem(decodeBase64(corpus('js-v03alt-dsse/bundle.json').verificationMaterial.certificate.rawBytes), 'CERTIFICATE');
    expect(dsseProposal({ envelopeJson, verifierPems: [certificatePem, publicKeyPem] })).toEqual({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: { proposedContent: { envelope: envelopeJson, verifiers: [Buffer.from(certificatePem).toString('base64'), Buffer.from(publicKeyPem).toString('base64')] } },
    });
  });

  it.each([
    ['an envelope object instead of its text', { envelopeJson: JSON.parse(envelopeJson), verifierPems: [publicKeyPem] }],
    ['envelope text that is not JSON', { envelopeJson: '{"payload":', verifierPems: [publicKeyPem] }],
    ['an envelope without signatures', { envelopeJson: '{"payload":"","payloadType":"x","signatures":[]}', verifierPems: [publicKeyPem] }],
    ['JSON that is not an envelope', { envelopeJson: '[1]', verifierPems: [publicKeyPem] }],
    ['no verifiers', { envelopeJson, verifierPems: [] }],
    ['a verifier that is not PEM', { envelopeJson, verifierPems: ['key'] }],
    ['a verifier of another kind', { envelopeJson, verifierPems: ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'] }],
    ['seventeen verifiers', { envelopeJson, verifierPems: Array(17).fill(publicKeyPem) }],
  ])('%s: REKOR_CLIENT_INPUT_INVALID', (_name, fields) => {
    expectInvalid(() => dsseProposal(fields as never));
  });
});
