import { importPublicKey, type PublicKey } from '@sigil/crypto';
import { bytesEqual, decodeBase64 } from '@sigil/encoding';
import type { Signer } from '@sigil/keys';
import { FulcioError } from './errors.js';
import { fulcioResponse, readCertificateChain } from './response-reader.js';

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
export function readSigningCertificate(value: unknown, signer: Signer): SigningCertificate {
  const root = fulcioResponse(value, 'signingCert answer');
  const present = ANSWERS.filter((name) => root.optionalField(name) !== undefined);
  if (present.length !== 1) root.fail(`expected one of ${ANSWERS.join(' or ')}, found ${present.length === 0 ? 'neither' : 'both'}`);
  const form = root.field(present[0]!);
  const certificates = readCertificateChain(form.field('chain'));
  const result: SigningCertificate = { chain: certificates.map((certificate) => certificate.der), sctEmbedded: present[0] === 'signedCertificateEmbeddedSct' };
  if (!result.sctEmbedded) {
    result.detachedSct = form.field('signedCertificateTimestamp').decode((text) => nonEmpty(decodeBase64(text, 'signedCertificateTimestamp')));
  }
  checkLeafKey(certificates[0]!.spki, signer.spki, signer.publicKey);
  return result;
}

/**
 * The leaf must certify the key that was sent: byte for byte normally (Fulcio writes the SPKI
 * it was given), else as the same key in another encoding (a compressed point, say).
 */
function checkLeafKey(certified: Uint8Array, sent: Uint8Array, signerKey: PublicKey): void {
  if (bytesEqual(certified, sent) || sameKey(certified, signerKey)) return;
  throw new FulcioError('FULCIO_CERTIFICATE_KEY_MISMATCH', "Fulcio signingCert answer: expected a leaf certificate for the signer's public key, found one for another key", {
    hint: 'Do not sign with this certificate: the server is not behaving as Fulcio does.',
  });
}

function sameKey(spki: Uint8Array, signerKey: PublicKey): boolean {
  try {
    return importPublicKey(spki, 'leaf certificate key').keyObject.equals(signerKey.keyObject);
  } catch {
    return false;
  }
}

function nonEmpty(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0) throw new Error('expected a non-empty SCT, found none');
  return bytes;
}
