// The local RFC 3161 timestamp authority over HTTP, Sigstore's TSA API.
export { createTimestampAuthority, TSA_POLICY, type TimestampAuthority, type TimestampAuthorityOptions } from './timestamp-authority.js';
export type { TsaReason } from './reasons.js';
