import { SigilError } from '@sigil/errors';

export type RekorClientErrorCode =
  | 'REKOR_CLIENT_HTTP'
  | 'REKOR_CLIENT_RESPONSE_INVALID'
  | 'REKOR_CLIENT_ENTRY_NOT_FOUND'
  | 'REKOR_CLIENT_ENTRY_EXISTS'
  | 'REKOR_CLIENT_INPUT_INVALID';

/** Errors from the Rekor v1 HTTP client (`@sigil/rekor/client`). */
export class RekorClientError extends SigilError<RekorClientErrorCode> {}

export function invalidInput(message: string): never {
  throw new RekorClientError('REKOR_CLIENT_INPUT_INVALID', message);
}
