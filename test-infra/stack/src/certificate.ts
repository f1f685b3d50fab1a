import { randomBytes } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as X from '@peculiar/asn1-x509';
import { describeError } from '@sigil/errors';
import { invalid, wholeSeconds } from './checks.js';
import type { SigningKey } from './keys.js';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const ECDSA_WITH_SHA384 = '1.2.840.10045.4.3.3';

export interface DistinguishedName {
  organization?: string;
  commonName?: string;
}

export interface TbsTemplate {
  issuer: X.Name;
  subject: X.Name;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key. */
  spki: Uint8Array;
  extensions: X.Extension[];
  /** The key that will sign: it fixes the signature algorithm written in the TBS. */
  signer: SigningKey;
}

/** O and CN as PrintableString, as Sigstore's CA certificates spell them; empty for a leaf. */
export function name({ organization, commonName }: DistinguishedName = {}): X.Name {
  const attribute = (type: string, value: string) =>
    new X.RelativeDistinguishedName([new X.AttributeTypeAndValue({ type, value: new X.AttributeValue({ printableString: value }) })]);
  return new X.Name([
    ...(organization ? [attribute('2.5.4.10', organization)] : []),
    ...(commonName ? [attribute('2.5.4.3', commonName)] : []),
  ]);
}

export function tbsCertificate(template: TbsTemplate): X.TBSCertificate {
  const spki = parseSpki(template.spki);
  return new X.TBSCertificate({
    version: X.Version.v3,
    serialNumber: serialNumber(),
    signature: signatureAlgorithm(template.signer),
    issuer: template.issuer,
    validity: new X.Validity({ notBefore: wholeSeconds(template.notBefore), notAfter: wholeSeconds(template.notAfter) }),
    subject: template.subject,
    subjectPublicKeyInfo: spki,
    ...(template.extensions.length > 0 ? { extensions: new X.Extensions(template.extensions) } : {}),
  });
}

/** Reads a DER SubjectPublicKeyInfo; anything else is STACK_INPUT_INVALID. */
export function parseSpki(der: Uint8Array): X.SubjectPublicKeyInfo {
  try {
    return AsnConvert.parse(der, X.SubjectPublicKeyInfo);
  } catch (err) {
    invalid(`public key: expected a DER SubjectPublicKeyInfo (${describeError(err)})`);
  }
}

export function encodeTbs(tbs: X.TBSCertificate): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(tbs));
}

/** Signs the TBS as it stands and returns the certificate's DER. */
export function signCertificate(tbs: X.TBSCertificate, signer: SigningKey): Uint8Array {
  const signature = signer.sign(encodeTbs(tbs));
  const certificate = new X.Certificate({ tbsCertificate: tbs, signatureAlgorithm: signatureAlgorithm(signer), signatureValue: signature.slice().buffer });
  return new Uint8Array(AsnConvert.serialize(certificate));
}

function signatureAlgorithm(signer: SigningKey): X.AlgorithmIdentifier {
  return new X.AlgorithmIdentifier({ algorithm: signer.curve === 'P-384' ? ECDSA_WITH_SHA384 : ECDSA_WITH_SHA256 });
}

/** 20 random bytes, positive and minimal as DER wants (first byte 0x01-0x7f). */
function serialNumber(): ArrayBuffer {
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0]! & 0x7f) || 0x01;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 20) as ArrayBuffer;
}
