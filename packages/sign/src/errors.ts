import { SigilError } from '@sigil/errors';

/** Codes for a signing that was refused, or whose results did not check out. No bundle is written. */
export type SignErrorCode =
  | 'SIGN_OPTIONS_INVALID' // no Fulcio/Rekor URL, no trust material, ...
  | 'SIGN_CERTIFICATE_MISMATCH' // Fulcio certified another key or another identity
  | 'SIGN_CERTIFICATE_UNTRUSTED' // the certificate does not chain to the trusted root
  | 'SIGN_LOG_ENTRY_MISMATCH' // the log recorded something other than what was sent
  | 'SIGN_TIMESTAMP_FAILED'
  | 'SIGN_ARTIFACT_UNREADABLE'
  | 'SIGN_SELF_CHECK_FAILED'; // the finished bundle does not verify

export class SignError extends SigilError<SignErrorCode> {}
