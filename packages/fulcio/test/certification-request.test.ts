import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { describe, expect, it } from 'vitest';
import { verifySignature } from '@sigil/crypto';
import { pemToDer } from '@sigil/encoding';
import { generateEphemeralSigner, type Signer } from '@sigil/keys';
import { createCertificationRequest, FulcioError } from '../src/index.js';

function parse(der: Uint8Array) {
  const csr = AsnConvert.parse(der, CertificationRequest);
  const info = new Uint8Array(csr.certificationRequestInfoRaw ?? AsnConvert.serialize(csr.certificationRequestInfo));
  return { csr, info };
}

describe('createCertificationRequest', () => {
  it.each([
    ['ECDSA_P256_SHA256', '1.2.840.10045.4.3.2'],
    ['ECDSA_P384_SHA384', '1.2.840.10045.4.3.3'],
  ] as const)('%s: a v1 request for the signer key, self-signed with %s', async (algorithm, oid) => {
    const signer = generateEphemeralSigner({ algorithm });
    const { der, pem } = await createCertificationRequest(signer);
    expect(pemToDer(pem, 'CERTIFICATE REQUEST')).toEqual(der);
    const { csr, info } = parse(der);
    expect(csr.certificationRequestInfo.version).toBe(0);
    expect(csr.certificationRequestInfo.subject).toHaveLength(0);
    expect(new Uint8Array(AsnConvert.serialize(csr.certificationRequestInfo.subjectPKInfo))).toEqual(signer.spki);
    expect(csr.signatureAlgorithm.algorithm).toBe(oid);
    expect(csr.signatureAlgorithm.parameters).toBeUndefined();
    expect(verifySignature(signer.publicKey, info, new Uint8Array(csr.signature))).toBe(true);
    // The attributes are there, empty ([0] with no content): what strict parsers (and Fulcio's) expect.
    expect(Buffer.from(info).subarray(-2)).toEqual(Buffer.from([0xa0, 0x00]));
  });

  it('puts an optional common name in the subject', async () => {
    const { der } = await createCertificationRequest(generateEphemeralSigner(), { commonName: 'someone@example.com' });
    const subject = parse(der).csr.certificationRequestInfo.subject;
    expect(subject[0]![0]!.type).toBe('2.5.4.3');
    expect(subject[0]![0]!.value.toString()).toBe('someone@example.com');
  });

  it('a new signature each time, over the same request info', async () => {
    const signer = generateEphemeralSigner();
    const [a, b] = [await createCertificationRequest(signer), await createCertificationRequest(signer)];
    expect(parse(a.der).info).toEqual(parse(b.der).info);
  });

  it.each([
    ['no signer', undefined, {}],
    ['a signer without a key', { sign: async () => new Uint8Array(1) }, {}],
    ['a signer with an unknown algorithm', { ...generateEphemeralSigner(), spki: generateEphemeralSigner().spki, sign: async () => new Uint8Array(1), algorithm: 'RSA' }, {}],
    ['a signer whose spki is not DER', { spki: new Uint8Array([1, 2, 3]), sign: async () => new Uint8Array(1), algorithm: 'ECDSA_P256_SHA256' }, {}],
    ['an empty common name', generateEphemeralSigner(), { commonName: '' }],
    ['a common name that is not a string', generateEphemeralSigner(), { commonName: 7 }],
  ])('%s: FULCIO_INPUT_INVALID', async (_name, signer, options) => {
    const err = await createCertificationRequest(signer as Signer, options as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FulcioError);
    expect((err as FulcioError).code).toBe('FULCIO_INPUT_INVALID');
  });
});
