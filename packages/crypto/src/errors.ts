import { SigilError } from '@sigil/errors';

export type CryptoErrorCode = 'CRYPTO_INVALID_KEY' | 'CRYPTO_UNSUPPORTED_KEY' | 'CRYPTO_UNSUPPORTED_OPERATION';

export class CryptoError extends SigilError<CryptoErrorCode> {}
