import { SigilError } from '@sigil/errors';

export type RekorErrorCode =
  | 'REKOR_BODY_INVALID'
  | 'REKOR_KIND_MISMATCH'
  | 'REKOR_UNSUPPORTED_KIND'
  | 'REKOR_INPUT_INVALID';

export class RekorError extends SigilError<RekorErrorCode> {}
