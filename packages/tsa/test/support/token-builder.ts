// Builds RFC 3161 tokens with @peculiar/asn1-cms so that each verification rule can be
// broken on its own. Certificates come from the x509 package's test builder.
import { createHash, sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as C from '@peculiar/asn1-cms';
import * as X from '@peculiar/asn1-x509';
import { buildCertificate, ext, generateKey, TIME_STAMPING, type KeyPair } from '../../../x509/test/support/builder.js';
import { MessageImprint, SignedAttributes, TSTInfo } from './tst-info-schema.js';

export const OIDS = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRsa: '1.2.840.113549.1.1.5',
};

const HASH_NAMES: Record<string, string> = { [OIDS.sha1]: 'sha1', [OIDS.sha256]: 'sha256', [OIDS.sha384]: 'sha384' };
const digest = (oid: string, data: Uint8Array) => new Uint8Array(createHash(HASH_NAMES[oid]!).update(data).digest());
const der = (value: object) => new Uint8Array(AsnConvert.serialize(value));

/** A self-signed TSA root and a TSA leaf under it, shaped like Sigstore's. */
export function tsaChain(options: { leafExtensions?: ReturnType<typeof ext.raw>[]; leafKey?: KeyPair; notAfter?: Date; serial?: number } = {}) {
  const rootKey = generateKey('p384');
  const leafKey = options.leafKey ?? generateKey('p384');
  const root = buildCertificate({
    subject: 'tsa-root',
    key: rootKey,
    signature: 'ecdsa-sha384',
    extensions: [ext.basicConstraints(true, 0), ext.keyUsage('keyCertSign', 'cRLSign'), ext.subjectKeyId(rootKey)],
  });
  const leaf = buildCertificate({
    subject: 'tsa-leaf',
    issuer: 'tsa-root',
    key: leafKey,
    signer: rootKey,
    signature: 'ecdsa-sha384',
    serial: options.serial ?? 42,
    ...(options.notAfter ? { notAfter: options.notAfter } : {}),
    extensions: options.leafExtensions ?? [
      ext.keyUsage('digitalSignature'),
      ext.extKeyUsage(true, TIME_STAMPING),
      ext.subjectKeyId(leafKey),
      ext.authorityKeyId(rootKey),
    ],
  });
  return { root, leaf, rootKey, leafKey };
}

export interface TokenSpec {
  data: Uint8Array;
  signer: KeyObject;
  /** The certificate the SignerInfo names. */
  signerCert: Uint8Array;
  genTime?: Date;
  imprintHash?: string;
  /** Replaces the imprint digest. */
  imprintDigest?: Uint8Array;
  digestAlgorithm?: string;
  signatureAlgorithm?: string;
  /** Signs with this hash (defaults to the one the signature algorithm names, else sha256). */
  signHash?: string;
  embed?: Uint8Array[];
  sidBy?: 'issuerAndSerial' | 'subjectKeyId';
  /** Replaces the messageDigest attribute value. */
  messageDigest?: Uint8Array;
  contentTypeAttribute?: string;
  eContentType?: string;
  omitSignedAttributes?: boolean;
  nonce?: Uint8Array;
  signerInfoCount?: number;
  /** 'response' wraps the token in a TimeStampResp with this status. */
  wrap?: { status: number } | 'none';
}

export function buildToken(spec: TokenSpec): Uint8Array {
  const imprintHash = spec.imprintHash ?? OIDS.sha256;
  const tstInfo = new TSTInfo({
    policy: '1.3.6.1.4.1.57264.2',
    messageImprint: new MessageImprint({
      hashAlgorithm: new X.AlgorithmIdentifier({ algorithm: imprintHash }),
      hashedMessage: new OctetString(spec.imprintDigest ?? digest(imprintHash, spec.data)),
    }),
    serialNumber: Uint8Array.of(0x12, 0x34).buffer,
    genTime: spec.genTime ?? new Date('2026-01-01T00:05:00Z'),
    ...(spec.nonce ? { nonce: spec.nonce.slice().buffer } : {}),
  });
  const tstInfoDer = der(tstInfo);
  const digestAlgorithm = spec.digestAlgorithm ?? OIDS.sha256;
  const signatureAlgorithm = spec.signatureAlgorithm ?? OIDS.ecdsaSha256;

  const attributes = [
    new C.Attribute({ attrType: OIDS.contentType, attrValues: [new asn1js.ObjectIdentifier({ value: spec.contentTypeAttribute ?? OIDS.tstInfo }).toBER()] }),
    new C.Attribute({ attrType: OIDS.messageDigest, attrValues: [der(new OctetString(spec.messageDigest ?? digest(digestAlgorithm, tstInfoDer))).slice().buffer] }),
  ];
  const signedAttributesDer = der(new SignedAttributes(attributes));
  const signHash = spec.signHash ?? (signatureAlgorithm === OIDS.ecdsaSha384 ? 'sha384' : 'sha256');
  const signature = new Uint8Array(sign(signHash, signedAttributesDer, spec.signer));

  const cert = AsnConvert.parse(spec.signerCert, X.Certificate);
  const sid =
    spec.sidBy === 'subjectKeyId'
      ? new C.SignerIdentifier({ subjectKeyIdentifier: new X.SubjectKeyIdentifier(subjectKeyId(cert)) })
      : new C.SignerIdentifier({ issuerAndSerialNumber: new C.IssuerAndSerialNumber({ issuer: cert.tbsCertificate.issuer, serialNumber: cert.tbsCertificate.serialNumber }) });
  const signerInfo = new C.SignerInfo({
    version: spec.sidBy === 'subjectKeyId' ? C.CMSVersion.v3 : C.CMSVersion.v1,
    sid,
    digestAlgorithm: new C.DigestAlgorithmIdentifier({ algorithm: digestAlgorithm }),
    ...(spec.omitSignedAttributes ? {} : { signedAttrs: attributes }),
    signatureAlgorithm: new C.SignatureAlgorithmIdentifier({ algorithm: signatureAlgorithm }),
    signature: new OctetString(signature),
  });
  const signedData = new C.SignedData({
    version: C.CMSVersion.v3,
    digestAlgorithms: new C.DigestAlgorithmIdentifiers([new C.DigestAlgorithmIdentifier({ algorithm: digestAlgorithm })]),
    encapContentInfo: new C.EncapsulatedContentInfo({
      eContentType: spec.eContentType ?? OIDS.tstInfo,
      eContent: new C.EncapsulatedContent({ single: new OctetString(tstInfoDer) }),
    }),
    signerInfos: new C.SignerInfos(Array.from({ length: spec.signerInfoCount ?? 1 }, () => signerInfo)),
  });
  if (spec.embed?.length) {
    signedData.certificates = new C.CertificateSet(spec.embed.map((c) => new C.CertificateChoices({ certificate: AsnConvert.parse(c, X.Certificate) })));
  }
  const contentInfo = der(new C.ContentInfo({ contentType: OIDS.signedData, content: AsnConvert.serialize(signedData) }));
  const wrap = spec.wrap ?? { status: 0 };
  if (wrap === 'none') return contentInfo;
  return sequence(sequence(Uint8Array.of(2, 1, wrap.status)), contentInfo);
}

function subjectKeyId(cert: X.Certificate): Uint8Array {
  const ski = cert.tbsCertificate.extensions?.find((e) => e.extnID === '2.5.29.14');
  return new Uint8Array(AsnConvert.parse(ski!.extnValue, X.SubjectKeyIdentifier).buffer);
}

function sequence(...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const header = body.length < 128 ? [0x30, body.length] : body.length < 256 ? [0x30, 0x81, body.length] : [0x30, 0x82, body.length >> 8, body.length & 0xff];
  return new Uint8Array(Buffer.concat([Buffer.from(header), body]));
}
