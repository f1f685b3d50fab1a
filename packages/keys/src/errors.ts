import { SigilError } from '@sigil/errors';

export type KeysErrorCode =
  | 'KEYS_UNSUPPORTED_ALGORITHM'
  | 'KEYS_INVALID_INPUT'
  | 'KEYS_INVALID_DIGEST'
  | 'KEYS_SIGNING_FAILED'
  | 'KEYS_INVALID_KEY_FILE'
  | 'KEYS_UNSUPPORTED_KEY'
  | 'KEYS_WRONG_PASSWORD';

/** Errors from key generation, key files and signing. None carries key material or a password. */
export class KeysError extends SigilError<KeysErrorCode> {}
