/** The error codes of distribution-spec v1.1 ("Error Codes"), plus distribution's TAG_INVALID and UNKNOWN. */
export type DistributionErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'TAG_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'UNKNOWN';

/**
 * A request the test registry refuses: the HTTP status, the distribution error code the client
 * sees in `{errors:[{code, message, detail}]}`, and any headers the refusal needs (challenges, Range).
 */
export class DistributionError extends Error {
  constructor(
    readonly status: number,
    readonly code: DistributionErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'DistributionError';
  }
}
