import { describeError, isSigilError } from '@sigil/errors';
import { TufError, type TufErrorCode } from './errors.js';

// tuf-js's error classes are not exported from its entry point, and it wraps snapshot and
// targets failures in a RuntimeError whose message embeds the original: classify by both.
const BY_CLASS: Record<string, TufErrorCode> = {
  ExpiredMetadataError: 'TUF_METADATA_EXPIRED',
  BadVersionError: 'TUF_ROLLBACK',
  UnsignedMetadataError: 'TUF_SIGNATURE_INVALID',
  LengthOrHashMismatchError: 'TUF_TARGET_MISMATCH',
  DownloadLengthMismatchError: 'TUF_TARGET_MISMATCH',
  DownloadHTTPError: 'TUF_MIRROR_UNREACHABLE',
  FetchError: 'TUF_MIRROR_UNREACHABLE',
};
const BY_MESSAGE: [RegExp, TufErrorCode][] = [
  [/is expired/, 'TUF_METADATA_EXPIRED'],
  [/less than current version|does not match snapshot version|doesn't match timestamp/, 'TUF_ROLLBACK'],
  [/signature|threshold|Unsigned|was signed by \d+\/\d+ keys/i, 'TUF_SIGNATURE_INVALID'],
  [/Expected (hash|length)/, 'TUF_TARGET_MISMATCH'],
  [/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|network|timeout|Failed to download|status code/i, 'TUF_MIRROR_UNREACHABLE'],
];

const HINTS: Partial<Record<TufErrorCode, string>> = {
  TUF_METADATA_EXPIRED: 'the mirror serves expired metadata (a freeze, or a mirror that stopped updating); nothing new was cached: try again later or another mirror',
  TUF_ROLLBACK: 'the mirror serves metadata older than this cache already trusts (a rollback); the cache was kept: check the mirror',
  TUF_TARGET_MISMATCH: 'a file the mirror served does not match its signed metadata; nothing was cached: check the mirror',
};

/** A tuf-js failure as a typed error naming the mirror and the refused step. */
export function classifyTufError(err: unknown, mirror: string, step: string): TufError {
  if (isSigilError(err) && err instanceof TufError) return err;
  const name = (err as { constructor?: { name?: string } })?.constructor?.name ?? '';
  const message = describeError(err);
  const code = BY_CLASS[name] ?? BY_MESSAGE.find(([pattern]) => pattern.test(message))?.[1] ?? 'TUF_UPDATE_FAILED';
  const hint = HINTS[code];
  return new TufError(code, `TUF mirror ${mirror}: ${step}: ${message}`, { cause: err, details: { mirror, step }, ...(hint ? { hint } : {}) });
}
