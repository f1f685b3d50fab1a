import { SigilError } from '@sigil/errors';

export type TufErrorCode =
  | 'TUF_NO_ANCHOR' // a custom mirror and no root to start from
  | 'TUF_ROOT_INVALID' // --root is not a TUF root.json
  | 'TUF_MIRROR_UNREACHABLE' // network error or HTTP error from the mirror
  | 'TUF_MIRROR_INSECURE' // plain http (or a redirect to it) to a host that is not loopback
  | 'TUF_TOO_LARGE' // an answer longer than its metadata (or tuf-js's limit for its role) allows
  | 'TUF_METADATA_INVALID' // metadata that is not JSON, or not TUF metadata of its role
  | 'TUF_METADATA_EXPIRED' // the newest metadata the mirror serves has expired (a freeze)
  | 'TUF_ROLLBACK' // the mirror serves metadata older than what the cache already trusts
  | 'TUF_SIGNATURE_INVALID' // metadata not signed by the threshold of its role's keys
  | 'TUF_TARGET_MISMATCH' // a target's bytes do not match the hashes or length its metadata lists
  | 'TUF_TARGET_MISSING' // the metadata does not list a required target
  | 'TUF_UPDATE_FAILED' // any other refusal from the TUF client
  | 'TUF_CACHE_CORRUPT' // the cache on disk does not verify against itself
  | 'TUF_CACHE_UNWRITABLE';

export class TufError extends SigilError<TufErrorCode> {}
