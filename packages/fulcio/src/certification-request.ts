import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { derToPem, typeOf } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { SIGNING_ALGORITHMS, type EphemeralAlgorithm, type Signer } from '@sigil/keys';
import { FulcioError } from './errors.js';
import { checkSigner, invalid } from './input-checks.js';

const ECDSA_WITH_HASH = { sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4' } as const;
const COMMON_NAME = '2.5.4.3';

export interface CertificationRequestOptions {
  /** A common name for the subject (the token's email or sub). Fulcio reads only the key; default an empty subject. */
  commonName?: string;
}

export interface CertificationRequestResult {
  der: Uint8Array;
  /** `-----BEGIN CERTIFICATE REQUEST-----`, as Fulcio takes it (base64 of this text). */
  pem: string;
}

/**
 * A PKCS#10 request for the signer's key, self-signed with ECDSA over the DER
 * CertificationRequestInfo: the signature is the proof of possession Fulcio checks.
 */
export async function createCertificationRequest(signer: Signer, options: CertificationRequestOptions = {}): Promise<CertificationRequestResult> {
  const { spki, sign, algorithm } = checkSigner(signer);
  const hash = Object.hasOwn(SIGNING_ALGORITHMS, algorithm) ? SIGNING_ALGORITHMS[algorithm as EphemeralAlgorithm].hash : undefined;
  if (hash === undefined) invalid(`signer: expected an ECDSA algorithm (${Object.keys(SIGNING_ALGORITHMS).join(', ')}), found ${typeOf(algorithm)}`);
  const info = new CertificationRequestInfo({
    version: 0,
    subject: subjectName(options.commonName),
    subjectPKInfo: parseSpki(spki),
    attributes: new Attributes(),
  });
  const infoDer = new Uint8Array(AsnConvert.serialize(info));
  let signature: Uint8Array;
  try {
    signature = await sign.call(signer, infoDer);
  } catch (err) {
    throw new FulcioError('FULCIO_SIGNING_FAILED', `certificate signing request: the signer failed (${describeError(err)})`, { cause: err });
  }
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_HASH[hash] }),
    signature: copyToArrayBuffer(signature),
  });
  const der = new Uint8Array(AsnConvert.serialize(request));
  return { der, pem: derToPem(der, 'CERTIFICATE REQUEST') };
}

function subjectName(commonName: unknown): Name {
  if (commonName === undefined) return new Name();
  if (typeof commonName !== 'string' || commonName === '' || commonName.length > 256) {
    invalid(`commonName: expected a string of 1 to 256 characters, found ${typeOf(commonName)}`);
  }
  const cn = new AttributeTypeAndValue({ type: COMMON_NAME, value: new AttributeValue({ utf8String: commonName }) });
  return new Name([new RelativeDistinguishedName([cn])]);
}

function parseSpki(spki: Uint8Array): SubjectPublicKeyInfo {
  try {
    return AsnConvert.parse(spki, SubjectPublicKeyInfo);
  } catch (err) {
    return invalid(`signer: its spki is not a DER SubjectPublicKeyInfo (${describeError(err)})`);
  }
}

function copyToArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}
