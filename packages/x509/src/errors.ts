import { SigilError } from '@sigil/errors';

export type X509ErrorCode =
  /** Not a well-formed DER certificate (or trailing bytes, or out of bounds). */
  | 'X509_MALFORMED'
  /** A known extension (SAN, key usage, a Fulcio extension...) is not encoded as its spec says. */
  | 'X509_EXTENSION_MALFORMED'
  /** A signature algorithm or key Sigil does not verify. */
  | 'X509_UNSUPPORTED_ALGORITHM'
  /** The certificate does not carry exactly one usable identity (SAN). */
  | 'X509_IDENTITY_INVALID'
  /** No certificate of the trusted chain issued the certificate. */
  | 'X509_UNTRUSTED_ISSUER'
  /** The issuer was found by name and key id, but its signature does not verify. */
  | 'X509_SIGNATURE_INVALID'
  | 'X509_NOT_YET_VALID'
  | 'X509_EXPIRED'
  /** An issuing certificate lacks CA:TRUE. */
  | 'X509_NOT_CA'
  /** The leaf asserts CA:TRUE. */
  | 'X509_LEAF_IS_CA'
  | 'X509_PATH_LENGTH'
  | 'X509_UNKNOWN_CRITICAL_EXTENSION'
  /** The leaf (or an issuer's EKU restriction) does not allow the purpose. */
  | 'X509_MISSING_EKU'
  /** digitalSignature missing on the leaf, or keyCertSign on an issuer. */
  | 'X509_KEY_USAGE'
  /** A caller passed something unusable (an invalid Date, a chain that is not certificates). */
  | 'X509_INVALID_ARGUMENT'
  /** The embedded SCT list is not a well-formed RFC 6962 SignedCertificateTimestampList. */
  | 'X509_SCT_MALFORMED';

export class X509Error extends SigilError<X509ErrorCode> {}
