import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { concatBytes, decodeBase64, derToPem } from '@sigil/encoding';
import { generateEphemeralSigner, type Signer } from '@sigil/keys';
import { parseCertificate } from '@sigil/x509';
import { createFulcioClient, FulcioError } from '../src/index.js';
import { localServer, sendRawJson as sendJson, type LocalServer } from '@sigil/stack';

// Chains public-good Fulcio issued (leaf, intermediate, root), from the corpus.
const corpus = (name: string) => JSON.parse(readFileSync(new URL(`../../../test-infra/fixtures/corpus/${name}/bundle.json`, import.meta.url), 'utf8'));
const realChain: Uint8Array[] = corpus('js-v01-full-cert-chain').verificationMaterial.x509CertificateChain.certificates.map((c: { rawBytes: string }) => decodeBase64(c.rawBytes));
const leaf = realChain[0]!;

/** A signer that claims the real leaf's key: the server is not asked to check the proof here. */
const real = generateEphemeralSigner();
const claimsLeafKey: Signer = {
  algorithm: real.algorithm,
  hash: real.hash,
  publicKey: real.publicKey,
  spki: parseCertificate(leaf).spkiDer,
  sign: (data) => real.sign(data),
  signDigest: (digest) => real.signDigest(digest),
};

const open: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function answering(certificates: Uint8Array[]) {
  const server = await localServer((res) => sendJson(res, 201, { signedCertificateEmbeddedSct: { chain: { certificates: certificates.map((der) => derToPem(der, 'CERTIFICATE')) } } }));
  open.push(server);
  return createFulcioClient({ url: server.url });
}

describe('real Fulcio chains', () => {
  it('a public-good chain reads back byte for byte, its leaf key found without an ASN.1 library', async () => {
    const client = await answering(realChain);
    const result = await client.signingCertificate({ token: 'eyJ.eyJ.c2ln', signer: claimsLeafKey, challenge: 'sub' });
    expect(result.chain).toEqual(realChain);
  });

  it('the same chain for another key: FULCIO_CERTIFICATE_KEY_MISMATCH', async () => {
    const client = await answering(realChain);
    const err = await client.signingCertificate({ token: 'eyJ.eyJ.c2ln', signer: generateEphemeralSigner(), challenge: 'sub' }).catch((e: unknown) => e);
    expect((err as FulcioError).code).toBe('FULCIO_CERTIFICATE_KEY_MISMATCH');
  });

  const withLength = (bytes: Uint8Array, at: number, value: number) => {
    const copy = bytes.slice();
    copy[at] = value;
    return copy;
  };

  it.each([
    ['a truncated certificate', () => leaf.subarray(0, leaf.length - 10)],
    ['trailing bytes', () => concatBytes(leaf, new Uint8Array([0]))],
    ['two certificates in one block', () => concatBytes(leaf, leaf)],
    ['a SET instead of a SEQUENCE', () => withLength(leaf, 0, 0x31)],
    ['an indefinite length', () => new Uint8Array([0x30, 0x80, 0, 0])],
    ['a five-byte length', () => new Uint8Array([0x30, 0x85, 0, 0, 0, 0, 1, 0])],
    ['a multi-byte tag', () => new Uint8Array([0x1f, 0x01, 0x00])],
    ['an empty SEQUENCE', () => new Uint8Array([0x30, 0x00])],
    ['a certificate whose TBS lacks the key', () => new Uint8Array([0x30, 0x0b, 0x30, 0x05, 0x02, 0x01, 0x01, 0x30, 0x00, 0x30, 0x00, 0x03, 0x00])],
    ['one byte', () => new Uint8Array([0x30])],
  ])('%s: FULCIO_RESPONSE_INVALID', async (_name, make) => {
    const client = await answering([make(), ...realChain.slice(1)]);
    const err = await client.signingCertificate({ token: 'eyJ.eyJ.c2ln', signer: claimsLeafKey, challenge: 'sub' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FulcioError);
    expect((err as FulcioError).code).toBe('FULCIO_RESPONSE_INVALID');
  });
});
