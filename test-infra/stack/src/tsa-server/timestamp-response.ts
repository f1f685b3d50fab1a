// A granted TimeStampResp (RFC 3161 section 2.4.2): the TSTInfo in a CMS SignedData signed
// by the TSA leaf, with signed attributes contentType, messageDigest and signing-certificate-v2
// (RFC 5035), the signer named by issuer and serial (what sigstore-js matches on).
import { randomBytes } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as Cms from '@peculiar/asn1-cms';
import * as Tsp from '@peculiar/asn1-tsp';
import * as X from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { sha256 } from '@sigil/crypto';
import { concatBytes } from '@sigil/encoding';
import { der } from '@sigil/x509';
import { HASH_OIDS, type TimestampRequest } from './timestamp-request.js';
import type { TsaCertificates } from './tsa-certificates.js';

const OID = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
};

export interface StampOptions {
  request: TimestampRequest;
  signer: TsaCertificates;
  policy: string;
  /** genTime; whole seconds, as Go's TSA writes it. */
  time: Date;
}

export function timestampResponse({ request, signer, policy, time }: StampOptions): Uint8Array {
  const tstInfo = encode(
    new Tsp.TSTInfo({
      version: Tsp.TSTInfoVersion.v1,
      policy,
      messageImprint: new Tsp.MessageImprint({
        hashAlgorithm: new X.AlgorithmIdentifier({ algorithm: HASH_OIDS[request.hashAlgorithm] }),
        hashedMessage: new OctetString(request.digest),
      }),
      serialNumber: positiveSerial(),
      genTime: time,
      accuracy: new Tsp.Accuracy({ seconds: 1 }),
      ...(request.nonce ? { nonce: toArrayBuffer(request.nonce) } : {}),
    }),
  );
  const signedData = new Cms.SignedData({
    version: Cms.CMSVersion.v3,
    digestAlgorithms: new Cms.DigestAlgorithmIdentifiers([new Cms.DigestAlgorithmIdentifier({ algorithm: HASH_OIDS.sha256 })]),
    encapContentInfo: new Cms.EncapsulatedContentInfo({
      eContentType: Tsp.id_ct_tstInfo,
      eContent: new Cms.EncapsulatedContent({ single: new OctetString(tstInfo) }),
    }),
    ...(request.certReq ? { certificates: new Cms.CertificateSet([new Cms.CertificateChoices({ certificate: signer.leafCertificate })]) } : {}),
    signerInfos: new Cms.SignerInfos([signerInfo(tstInfo, signer)]),
  });
  const token = new Tsp.TimeStampToken({ contentType: Cms.id_signedData, content: toArrayBuffer(encode(signedData)) });
  return encode(new Tsp.TimeStampResp({ status: new Tsp.PKIStatusInfo({ status: Tsp.PKIStatus.granted }), timeStampToken: token }));
}

function signerInfo(tstInfo: Uint8Array, signer: TsaCertificates): Cms.SignerInfo {
  const { issuer, serialNumber } = signer.leafCertificate.tbsCertificate;
  const attributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: Tsp.id_ct_tstInfo }).toBER()),
    attribute(OID.messageDigest, encode(new OctetString(sha256(tstInfo)))),
    attribute(OID.signingCertificateV2, signingCertificateV2(signer)),
  ];
  // DER orders a SET OF by the encodings of its elements.
  attributes.sort((a, b) => Buffer.compare(encode(a), encode(b)));
  const info = new Cms.SignerInfo({
    version: Cms.CMSVersion.v1,
    sid: new Cms.SignerIdentifier({ issuerAndSerialNumber: new Cms.IssuerAndSerialNumber({ issuer, serialNumber }) }),
    digestAlgorithm: new Cms.DigestAlgorithmIdentifier({ algorithm: HASH_OIDS.sha256 }),
    signedAttrs: attributes,
    signatureAlgorithm: new Cms.SignatureAlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 }),
  });
  // The signature covers the attributes as a SET (tag 0x31), not as the [0] they are written with.
  const signed = signedAttributesAsSet(encode(info));
  info.signature = new OctetString(signer.leafKey.sign(signed));
  return info;
}

function signedAttributesAsSet(signerInfoDer: Uint8Array): Uint8Array {
  const fields = der.children(signerInfoDer, der.readWhole(signerInfoDer, der.TAG.SEQUENCE, 'SignerInfo'), 'SignerInfo');
  const attrs = fields.find((field) => field.tag === der.contextTag(0, true))!;
  const set = der.raw(signerInfoDer, attrs).slice();
  set[0] = der.TAG.SET;
  return set;
}

/**
 * SigningCertificateV2 { certs: [ESSCertIDv2 { certHash: SHA-256(leaf), issuerSerial }] };
 * hashAlgorithm is left out because SHA-256 is its DEFAULT.
 */
function signingCertificateV2(signer: TsaCertificates): Uint8Array {
  const { issuer, serialNumber } = signer.leafCertificate.tbsCertificate;
  const generalNames = encode(new X.GeneralNames([new X.GeneralName({ directoryName: issuer })]));
  const serial = tlv(der.TAG.INTEGER, new Uint8Array(serialNumber));
  const essCertId = tlv(der.TAG.SEQUENCE, encode(new OctetString(sha256(signer.leaf))), tlv(der.TAG.SEQUENCE, generalNames, serial));
  return tlv(der.TAG.SEQUENCE, tlv(der.TAG.SEQUENCE, essCertId));
}

function attribute(type: string, value: ArrayBuffer | Uint8Array): Cms.Attribute {
  return new Cms.Attribute({ attrType: type, attrValues: [toArrayBuffer(new Uint8Array(value))] });
}

function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concatBytes(...content);
  return concatBytes(der.header(tag, body.length), body);
}

function encode(value: object): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(value));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** 16 random bytes, positive and minimal. */
function positiveSerial(): ArrayBuffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) || 0x01;
  return toArrayBuffer(bytes);
}
