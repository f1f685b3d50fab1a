// @sigil/tsa: RFC 3161 timestamp tokens: parsing and verification
export { TsaError, type TsaErrorCode } from './errors.js';
export { parseTimestampToken, type TimestampToken } from './token.js';
export type { TstInfo } from './tst-info.js';
export type { SignerInfo, SignerIdentifier } from './signer-info.js';
export { verifyTimestampToken, type TimestampAuthority, type TimestampVerificationOptions, type VerifiedTimestamp } from './verify.js';
