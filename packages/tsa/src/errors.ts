import { SigilError } from '@sigil/errors';

export type TsaErrorCode =
  /** Not a well-formed TimeStampResp or TimeStampToken (CMS SignedData over a TSTInfo). */
  | 'TSA_MALFORMED'
  /** A TimeStampResp whose status is not granted. */
  | 'TSA_NOT_GRANTED'
  /** A hash or signature algorithm Sigil does not accept (SHA-1 imprints, say). */
  | 'TSA_UNSUPPORTED_ALGORITHM'
  /** The message imprint is not the hash of the timestamped data. */
  | 'TSA_IMPRINT_MISMATCH'
  /** The CMS signature, or the signed messageDigest over the TSTInfo, does not verify. */
  | 'TSA_SIGNATURE_INVALID'
  /** No trusted timestamp authority has the signing certificate. */
  | 'TSA_UNTRUSTED_SIGNER'
  /** The signer's certificate does not chain to its authority at genTime (expired, wrong EKU, ...). */
  | 'TSA_CHAIN_INVALID'
  /** genTime is outside the authority's validFor in the trusted root. */
  | 'TSA_OUTSIDE_VALIDITY'
  /** The caller passed something unusable. */
  | 'TSA_INVALID_ARGUMENT';

export class TsaError extends SigilError<TsaErrorCode> {}
