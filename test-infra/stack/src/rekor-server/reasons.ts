import { HttpError } from '../http/index.js';

/**
 * Why the local Rekor refused a request: the `reason` field of its JSON error, stable for tests
 * and clients (Rekor itself answers `{code, message}` only; the extra field is harmless).
 */
export type RekorReason =
  | 'REKOR_BODY_MALFORMED' // the request body is not JSON
  | 'REKOR_BODY_TOO_LARGE' // the request body is over the limit (413)
  | 'REKOR_CONTENT_TYPE' // the request body is not declared application/json (415)
  | 'REKOR_KIND_UNSUPPORTED' // a kind or apiVersion other than hashedrekord or dsse 0.0.1
  | 'REKOR_ENTRY_MALFORMED' // a field of the proposed entry is missing, of the wrong type, or badly encoded
  | 'REKOR_KEY_UNSUPPORTED' // a verifier that is not a usable public key or certificate
  | 'REKOR_CERTIFICATE_UNTRUSTED' // the certificate does not chain to a trusted CA
  | 'REKOR_SIGNATURE_INVALID' // a signature does not verify (over the digest, or over the DSSE PAE)
  | 'REKOR_ENTRY_EXISTS' // the log holds this canonical body (409, Location names it)
  | 'REKOR_ENTRY_NOT_FOUND' // no entry at that index or UUID (404)
  | 'REKOR_QUERY_INVALID' // a malformed UUID, index, size, tree ID or search query
  | 'REKOR_QUERY_TOO_LARGE' // a search for more than 10 entries (422)
  | 'REKOR_LOG_UNAVAILABLE'; // the log is closed or cannot store entries (503)

/** The HTTP status each reason is answered with. */
export const REKOR_REASON_STATUS: Readonly<Record<RekorReason, number>> = {
  REKOR_BODY_MALFORMED: 400,
  REKOR_BODY_TOO_LARGE: 413,
  REKOR_CONTENT_TYPE: 415,
  REKOR_KIND_UNSUPPORTED: 400,
  REKOR_ENTRY_MALFORMED: 400,
  REKOR_KEY_UNSUPPORTED: 400,
  REKOR_CERTIFICATE_UNTRUSTED: 400,
  REKOR_SIGNATURE_INVALID: 400,
  REKOR_ENTRY_EXISTS: 409,
  REKOR_ENTRY_NOT_FOUND: 404,
  REKOR_QUERY_INVALID: 400,
  REKOR_QUERY_TOO_LARGE: 422,
  REKOR_LOG_UNAVAILABLE: 503,
};

export function refusal(reason: RekorReason, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(REKOR_REASON_STATUS[reason], message, headers, reason);
}

/** The shared body readers' refusals (bad JSON 400, 413, 415), given this service's reasons. */
export function withBodyReason(err: unknown): unknown {
  if (!(err instanceof HttpError) || err.reason) return err;
  const reason: RekorReason | undefined = err.status === 413 ? 'REKOR_BODY_TOO_LARGE' : err.status === 415 ? 'REKOR_CONTENT_TYPE' : err.status === 400 ? 'REKOR_BODY_MALFORMED' : undefined;
  return reason ? refusal(reason, err.message, err.headers) : err;
}
