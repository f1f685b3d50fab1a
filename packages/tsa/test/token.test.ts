import { describe, expect, it } from 'vitest';
import { AsnConvert, AsnParser } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import * as C from '@peculiar/asn1-cms';
import { encodeHex } from '@sigil/encoding';
import { HASH_OIDS, parseCertificate } from '@sigil/x509';
import { parseTimestampToken, TsaError } from '../src/index.js';
import { expectTsaError } from './support/expect-error.js';
import { conformanceCase, conformanceCaseNames, corpusCases, signedTimestamps } from './support/fixtures.js';
import { buildToken, OIDS, tsaChain } from './support/token-builder.js';
import { SignedAttributes, TSTInfo } from './support/tst-info-schema.js';

const realTokens: [string, Uint8Array][] = [
  ...corpusCases.flatMap((c) => signedTimestamps(c.bundle).map((der): [string, Uint8Array] => [c.name, der])),
  ...conformanceCaseNames()
    .filter((name) => name.startsWith('rekor2-timestamp-'))
    .map((name): [string, Uint8Array] => [name, signedTimestamps(conformanceCase(name).bundle)[0]!]),
];

describe('parseTimestampToken on real timestamps', () => {
  // @peculiar/asn1-cms and the TSTInfo schema are the oracle for the DER reader.
  it.each(realTokens)('%s agrees with @peculiar/asn1-cms', (_, der) => {
    const token = parseTimestampToken(der);
    const response = asn1js.fromBER(der.slice().buffer);
    expect(response.offset).toBe(der.length);
    const tokenAsn = (response.result as asn1js.Sequence).valueBlock.value[1]!;
    const contentInfo = AsnParser.fromASN(tokenAsn, C.ContentInfo);
    expect(token.der).toEqual(new Uint8Array(tokenAsn.valueBeforeDecodeView));
    const signedData = AsnConvert.parse(contentInfo.content, C.SignedData);
    const eContent = signedData.encapContentInfo.eContent!.single!;
    expect(token.tstInfoDer).toEqual(new Uint8Array(eContent.buffer));
    const tstInfo = AsnConvert.parse(eContent, TSTInfo);
    expect(token.genTime).toEqual(tstInfo.genTime);
    expect(token.policy).toBe(tstInfo.policy);
    expect(token.serialNumber).toBe(encodeHex(new Uint8Array(tstInfo.serialNumber)));
    expect(token.nonce).toBe(tstInfo.nonce && encodeHex(new Uint8Array(tstInfo.nonce)));
    expect(token.messageImprint.digest).toEqual(new Uint8Array(tstInfo.messageImprint.hashedMessage.buffer));
    expect(token.messageImprint.algorithm).toBe('sha256');
    const [signer] = signedData.signerInfos;
    expect(token.signerInfo.signature).toEqual(new Uint8Array(signer!.signature.buffer));
    expect(token.signerInfo.signatureAlgorithm.oid).toBe(signer!.signatureAlgorithm.algorithm);
    expect(HASH_OIDS[signer!.digestAlgorithm.algorithm]).toBe(token.signerInfo.digestAlgorithm);
    expect('serialNumber' in token.signerInfo.sid && token.signerInfo.sid.serialNumber).toBe(
      encodeHex(new Uint8Array(signer!.sid.issuerAndSerialNumber!.serialNumber)),
    );
    // The signed attributes as signed: a DER SET OF Attribute.
    expect(token.signerInfo.signedAttributesDer).toEqual(new Uint8Array(AsnConvert.serialize(new SignedAttributes(signer!.signedAttrs))));
    expect(token.embeddedCertificates.map((c) => c.der)).toEqual(
      (signedData.certificates ?? []).map((choice) => new Uint8Array(AsnConvert.serialize(choice.certificate!))),
    );
  });

  it('reads a granted TimeStampResp and the same token as a bare ContentInfo alike', () => {
    const [, der] = realTokens[0]!;
    const token = parseTimestampToken(der);
    const bare = parseTimestampToken(token.der);
    expect(bare.genTime).toEqual(token.genTime);
    expect(bare.der).toEqual(token.der);
  });

  it('reads the embedded FreeTSA chain (RSA, rsaEncryption signature OID)', () => {
    const token = parseTimestampToken(signedTimestamps(conformanceCase('rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail').bundle)[0]!);
    expect(token.embeddedCertificates).toHaveLength(2);
    expect(token.embeddedCertificates[0]!.publicKey.kind).toBe('rsa');
    expect(token.signerInfo.signatureAlgorithm.oid).toBe(OIDS.rsaEncryption);
    expect(token.nonce).toBeDefined();
  });
});

describe('parseTimestampToken on bad input', () => {
  const chain = tsaChain();
  const data = new Uint8Array([1, 2, 3]);
  const base = { data, signer: chain.leafKey.privateKey, signerCert: chain.leaf };

  it('rejects what is not bytes, oversized input and trailing bytes', () => {
    expectTsaError(() => parseTimestampToken('MII' as unknown as Uint8Array), 'TSA_MALFORMED');
    expectTsaError(() => parseTimestampToken(new Uint8Array(70_000)), 'TSA_MALFORMED');
    expectTsaError(() => parseTimestampToken(Uint8Array.of(...buildToken(base), 0)), 'TSA_MALFORMED');
  });

  it('rejects every truncation of a real timestamp, typed', () => {
    const [, der] = realTokens[0]!;
    for (let n = 0; n < der.length; n++) expectTsaError(() => parseTimestampToken(der.subarray(0, n)), 'TSA_MALFORMED');
  });

  it('turns every corruption of a real timestamp into a token or a TsaError', () => {
    const [, der] = realTokens.find(([name]) => name === 'rekor2-timestamp-with-embedded-cert')!;
    for (let i = 0; i < der.length; i++) {
      const bad = der.slice();
      bad[i]! ^= 0x81;
      try {
        parseTimestampToken(bad);
      } catch (err) {
        expect(err).toBeInstanceOf(TsaError);
      }
    }
  });

  it('reports a rejected request as TSA_NOT_GRANTED', () => {
    expectTsaError(() => parseTimestampToken(Uint8Array.of(0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02)), 'TSA_NOT_GRANTED');
    expect(parseTimestampToken(buildToken({ ...base, wrap: { status: 1 } })).messageImprint.algorithm).toBe('sha256');
    expectTsaError(() => parseTimestampToken(Uint8Array.of(0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00)), 'TSA_MALFORMED');
  });

  it('refuses SHA-1 imprints and digest algorithms', () => {
    expectTsaError(() => parseTimestampToken(buildToken({ ...base, imprintHash: OIDS.sha1 })), 'TSA_UNSUPPORTED_ALGORITHM');
    expectTsaError(() => parseTimestampToken(buildToken({ ...base, digestAlgorithm: OIDS.sha1 })), 'TSA_UNSUPPORTED_ALGORITHM');
  });

  it('requires the CMS shape RFC 3161 prescribes', () => {
    expectTsaError(() => parseTimestampToken(buildToken({ ...base, signerInfoCount: 2 })), 'TSA_MALFORMED');
    expectTsaError(() => parseTimestampToken(buildToken({ ...base, omitSignedAttributes: true })), 'TSA_MALFORMED');
    expectTsaError(() => parseTimestampToken(buildToken({ ...base, eContentType: '1.2.840.113549.1.7.1' })), 'TSA_MALFORMED');
    expectTsaError(() => parseTimestampToken(buildToken({ ...base, contentTypeAttribute: '1.2.840.113549.1.7.1' })), 'TSA_MALFORMED');
    // An embedded certificate that does not parse (a letter in its notBefore).
    const token = buildToken({ ...base, embed: [chain.leaf] });
    const at = Buffer.from(token).indexOf(Buffer.from(chain.leaf)) + Buffer.from(chain.leaf).indexOf(Buffer.from([0x17, 0x0d])) + 3;
    token[at] = 0x58;
    expectTsaError(() => parseTimestampToken(token), 'TSA_MALFORMED');
  });

  it('keeps the fields of a synthetic token', () => {
    const nonce = Uint8Array.of(0x01, 0x02, 0x03);
    const token = parseTimestampToken(buildToken({ ...base, nonce, embed: [chain.leaf, chain.root], sidBy: 'subjectKeyId', wrap: 'none' }));
    expect(token.nonce).toBe('010203');
    expect(token.policy).toBe('1.3.6.1.4.1.57264.2');
    expect(token.serialNumber).toBe('1234');
    expect(token.genTime).toEqual(new Date('2026-01-01T00:05:00Z'));
    expect(token.embeddedCertificates.map((c) => c.der)).toEqual([chain.leaf, chain.root]);
    expect(token.signerInfo.sid).toEqual({ subjectKeyId: parseCertificate(chain.leaf).subjectKeyId });
  });
});
