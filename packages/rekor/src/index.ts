// @sigil/rekor: Rekor entry kinds (parse and build canonical bodies), UUIDs and signed entry timestamps.
export { RekorError, type RekorErrorCode } from './errors.js';
export { parseEntryBody, MAX_BODY_BYTES, type ExpectedKind } from './entry/parse.js';
export type { LoggedEntry, EntryKind, EntryVerifier, Digest } from './entry/types.js';
export {
  signedEntryTimestampPayload,
  verifySignedEntryTimestamp,
  type SignedEntryTimestampFields,
} from './signed-entry-timestamp.js';
export { hashedRekordV001Body, dsseV001Body, entryUuid, type HashedRekordV001Fields, type DsseV001Fields } from './body-builders.js';
export {
  hashedRekordV002Body,
  dsseV002Body,
  signatureJson,
  verifierJson,
  KEY_DETAILS_HASH,
  type RawVerifier,
  type HashedRekordV002Fields,
  type DsseV002Fields,
} from './body-builders-v2.js';
export { encodeTileIndex } from './tile-index.js';
