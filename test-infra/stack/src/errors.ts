import { SigilError } from '@sigil/errors';

export type StackErrorCode =
  | 'STACK_INPUT_INVALID' // an option or request field has the wrong type or an impossible value
  | 'STACK_EXTENSION_UNKNOWN' // a certificate extension name that is not a Fulcio extension
  | 'STACK_CLAIM_MISSING' // an ID-token claim Fulcio's GitLab template needs is absent or not a scalar
  | 'STACK_ENTRY_EXISTS' // the log already holds this canonical body (Rekor's 409)
  | 'STACK_ENTRY_NOT_FOUND' // no entry at that index or UUID
  | 'STACK_STATE_INVALID'; // a file in a service's state directory is not what that service wrote

export class StackError extends SigilError<StackErrorCode> {}
