import { SigilError } from '@sigil/errors';

export type TrustErrorCode = 'TRUST_ROOT_INVALID' | 'TRUST_ROOT_UNREADABLE' | 'TRUST_ROOT_UNKNOWN';

export class TrustError extends SigilError<TrustErrorCode> {}
