import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { bytesEqual, decodeBase64 } from '@sigil/encoding';
import { FulcioError } from './errors.js';
import { fulcioResponse, parseCertificate, readCertificateChain } from './response-reader.js';

export interface SigningCertificate {
  /** DER certificates, leaf first. */
  chain: Uint8Array[];
  /** True when the leaf carries its SCT (signedCertificateEmbeddedSct). */
  sctEmbedded: boolean;
  /** signedCertificateDetachedSct only: the decoded SCT (an RFC 6962 AddChainResponse JSON). */
  detachedSct?: Uint8Array;
}

const ANSWERS = ['signedCertificateEmbeddedSct', 'signedCertificateDetachedSct'] as const;

/**
 * Reads a `SigningCertificate` answer: exactly one of the two forms, a chain of X.509
 * certificates, and a leaf that certifies the key that was sent.
 */
export function readSigningCertificate(value: unknown, spki: Uint8Array): SigningCertificate {
  const root = fulcioResponse(value, 'signingCert answer');
  const present = ANSWERS.filter((name) => root.optionalField(name) !== undefined);
  if (present.length !== 1) root.fail(`expected one of ${ANSWERS.join(' or ')}, found ${present.length === 0 ? 'neither' : 'both'}`);
  const form = root.field(present[0]!);
  const chain = readCertificateChain(form.field('chain'));
  const result: SigningCertificate = { chain, sctEmbedded: present[0] === 'signedCertificateEmbeddedSct' };
  if (!result.sctEmbedded) {
    result.detachedSct = form.field('signedCertificateTimestamp').decode((text) => nonEmpty(decodeBase64(text, 'signedCertificateTimestamp')));
  }
  checkLeafKey(chain[0]!, spki);
  return result;
}

function checkLeafKey(leaf: Uint8Array, spki: Uint8Array): void {
  const { certificate } = parseCertificate(leaf);
  const certified = new Uint8Array(AsnConvert.serialize(certificate.tbsCertificate.subjectPublicKeyInfo));
  const sent = new Uint8Array(AsnConvert.serialize(AsnConvert.parse(spki, SubjectPublicKeyInfo)));
  if (!bytesEqual(certified, sent)) {
    throw new FulcioError('FULCIO_CERTIFICATE_KEY_MISMATCH', "Fulcio signingCert answer: expected a leaf certificate for the signer's public key, found one for another key", {
      hint: 'Do not sign with this certificate: the server is not behaving as Fulcio does.',
    });
  }
}

function nonEmpty(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0) throw new Error('expected a non-empty SCT, found none');
  return bytes;
}
