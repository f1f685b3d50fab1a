import { SigilError } from '@sigil/errors';

export type KeysErrorCode = 'KEYS_UNSUPPORTED_ALGORITHM' | 'KEYS_INVALID_INPUT' | 'KEYS_INVALID_DIGEST' | 'KEYS_SIGNING_FAILED';

/** Errors from key generation and signing. None carries key material. */
export class KeysError extends SigilError<KeysErrorCode> {}
