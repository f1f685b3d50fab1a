import { SigilError } from '@sigil/errors';

export type FulcioErrorCode =
  | 'FULCIO_HTTP'
  | 'FULCIO_RESPONSE_INVALID'
  | 'FULCIO_CERTIFICATE_KEY_MISMATCH'
  | 'FULCIO_SIGNING_FAILED'
  | 'FULCIO_INPUT_INVALID';

/** Errors from the Fulcio client. None carries the identity token, in any field. */
export class FulcioError extends SigilError<FulcioErrorCode> {}
