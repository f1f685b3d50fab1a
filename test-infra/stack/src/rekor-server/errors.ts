import { SigilError } from '@sigil/errors';

export type RekorServiceErrorCode =
  | 'STACK_REKOR_OPTIONS_INVALID' // createRekorService was given a missing or malformed option
  | 'STACK_REKOR_STATE_MISMATCH' // the state directory holds a log with another tree ID or log key
  | 'STACK_REKOR_STORAGE_CORRUPT' // a stored file cannot be read back (not a torn tail: that is dropped)
  | 'STACK_REKOR_STORAGE_FAILED' // writing or syncing the entries file failed; the log stops accepting
  | 'STACK_REKOR_THREAD_MISSING' // signature-thread.mjs is not beside the module (a bundle that lacks it)
  | 'STACK_REKOR_CLOSED'; // the service was closed

export class RekorServiceError extends SigilError<RekorServiceErrorCode> {}
