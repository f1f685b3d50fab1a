import { SigilError } from '@sigil/errors';

export type TrustErrorCode = 'TRUST_ROOT_INVALID' | 'TRUST_ROOT_UNREADABLE';

export class TrustError extends SigilError<TrustErrorCode> {}
