import { describeError, isSigilError } from '@sigil/errors';
import type { HttpClientError, HttpClientErrorCode } from '@sigil/http-client';
import { TufError, type TufErrorCode } from './errors.js';

// tuf-js's error classes are not exported from its entry point, and it wraps snapshot and
// targets failures in a RuntimeError whose message embeds the original: classify by both.
const BY_CLASS: Record<string, TufErrorCode> = {
  ExpiredMetadataError: 'TUF_METADATA_EXPIRED',
  BadVersionError: 'TUF_ROLLBACK',
  UnsignedMetadataError: 'TUF_SIGNATURE_INVALID',
  LengthOrHashMismatchError: 'TUF_TARGET_MISMATCH',
  DownloadLengthMismatchError: 'TUF_TOO_LARGE',
  DownloadHTTPError: 'TUF_MIRROR_UNREACHABLE',
  FetchError: 'TUF_MIRROR_UNREACHABLE',
  SyntaxError: 'TUF_METADATA_INVALID',
  ValueError: 'TUF_METADATA_INVALID',
  TypeError: 'TUF_METADATA_INVALID',
};
const BY_MESSAGE: [RegExp, TufErrorCode][] = [
  [/is expired/, 'TUF_METADATA_EXPIRED'],
  [/less than current version|does not match snapshot version|doesn't match timestamp/, 'TUF_ROLLBACK'],
  [/signature|threshold|Unsigned|was signed by \d+\/\d+ keys/i, 'TUF_SIGNATURE_INVALID'],
  [/Expected (hash|length)/, 'TUF_TARGET_MISMATCH'],
  [/Max length reached/, 'TUF_TOO_LARGE'],
  [/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|network|timeout|Failed to download|status code/i, 'TUF_MIRROR_UNREACHABLE'],
  [/SyntaxError|ValueError|TypeError|JSON/, 'TUF_METADATA_INVALID'],
];
// Our fetcher's failures, which tuf-js may re-wrap as text.
const BY_HTTP_CODE: Partial<Record<HttpClientErrorCode, TufErrorCode>> = {
  HTTP_INSECURE_REFUSED: 'TUF_MIRROR_INSECURE',
  HTTP_BODY_TOO_LARGE: 'TUF_TOO_LARGE',
  HTTP_REQUEST_INVALID: 'TUF_UPDATE_FAILED',
};

const HINTS: Partial<Record<TufErrorCode, string>> = {
  TUF_METADATA_EXPIRED: 'the mirror serves expired metadata (a freeze, or a mirror that stopped updating); nothing new was cached: try again later or another mirror',
  TUF_ROLLBACK: 'the mirror serves metadata older than this cache already trusts (a rollback); the cache was kept: check the mirror',
  TUF_TARGET_MISMATCH: 'a file the mirror served does not match its signed metadata; nothing was cached: check the mirror',
  TUF_MIRROR_INSECURE: 'use an https mirror; plain http is allowed only to 127.0.0.1, ::1 or localhost',
  TUF_TOO_LARGE: 'the mirror served more bytes than the signed metadata allows; nothing was cached: check the mirror',
  TUF_METADATA_INVALID: 'the mirror served something that is not TUF metadata (a login page, a proxy error?); nothing was cached: check the mirror URL',
};

/** A tuf-js failure as a typed error naming the mirror and the refused step. */
export function classifyTufError(err: unknown, mirror: string, step: string, fetchFailure?: HttpClientError): TufError {
  if (isSigilError(err) && err instanceof TufError) return err;
  const name = (err as { constructor?: { name?: string } })?.constructor?.name ?? '';
  const message = describeError(err);
  const fromFetcher = fetchFailure && (err === fetchFailure || message.includes(fetchFailure.message)) ? fetchFailure : undefined;
  const code =
    (fromFetcher && (BY_HTTP_CODE[fromFetcher.code] ?? 'TUF_MIRROR_UNREACHABLE')) ??
    BY_CLASS[name] ??
    BY_MESSAGE.find(([pattern]) => pattern.test(message))?.[1] ??
    'TUF_UPDATE_FAILED';
  const hint = HINTS[code] ?? fromFetcher?.hint;
  return new TufError(code, `TUF mirror ${mirror}: ${step}: ${message}`, { cause: err, details: { mirror, step }, ...(hint ? { hint } : {}) });
}
