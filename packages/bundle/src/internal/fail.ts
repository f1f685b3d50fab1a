import { typeOf } from '@sigil/encoding';
import { BundleError, type BundleErrorCode, type DocumentName } from '../errors.js';

export interface FailOptions {
  cause?: unknown;
  hint?: string;
  details?: Record<string, unknown>;
}

/**
 * The one place errors are made, so every message reads `<path>: <what was expected and found>`.
 * Bundle messages start with the path; other documents are named first. Every problem with an
 * in-toto statement is BUNDLE_INVALID_STATEMENT, whatever its kind.
 */
export function documentError(
  code: BundleErrorCode,
  document: DocumentName,
  path: string,
  problem: string,
  options: FailOptions = {},
): BundleError {
  const where = path === '' ? document : document === 'bundle' ? path : `${document} ${path}`;
  const finalCode = document === 'in-toto statement' ? 'BUNDLE_INVALID_STATEMENT' : code;
  return new BundleError(finalCode, `${where}: ${problem}`, {
    cause: options.cause,
    hint: options.hint,
    details: { ...options.details, document, path },
  });
}

/** A short, safe rendering of an untrusted value for a message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeOf(value);
}
