// Bounds on attacker-controlled sizes: far above anything a real client writes, far below
// what would cost a verifier noticeable time or memory.
const MiB = 1024 * 1024;

export const MAX_BUNDLE_SIZE = 64 * MiB;
export const MAX_ENVELOPE_SIZE = 64 * MiB;
export const MAX_STATEMENT_SIZE = 64 * MiB;
/** Signatures on a standalone DSSE envelope (a bundle's has exactly one). */
export const MAX_ENVELOPE_SIGNATURES = 16;
export const MAX_TLOG_ENTRIES = 32;
export const MAX_TIMESTAMPS = 32;
export const MAX_CHAIN_LENGTH = 10;
export const MAX_TRUST_DOCUMENT_SIZE = 16 * MiB;
/** Logs, CAs, TSAs or services in one list of a trusted root or signing config. */
export const MAX_TRUST_LIST_LENGTH = 128;
export const MAX_STATEMENT_SUBJECTS = 1024;
/** Algorithm-to-digest pairs in one subject's digest set. */
export const MAX_SUBJECT_DIGESTS = 32;
