// What the Rekor v1 and v2 services share at start: the common options checked, the state
// directory made, the signature-check threads started (closing the log if they cannot start).
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { typeOf } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { DEFAULT_BODY_LIMIT, HttpError } from '../http/index.js';
import type { TrustedCas } from './certificate-trust.js';
import { RekorServiceError } from './errors.js';
import { startSignatureChecks, type SignatureChecks } from './signature-checks.js';

export const MAX_SIGNATURE_THREADS = 4;

export interface CommonServiceOptions {
  dir: string;
  trustedCas?: TrustedCas;
  maxBodyBytes?: number;
  signatureThreads?: number;
}

/** Checks the shared options and creates `dir`; returns them with defaults filled in. */
export function prepareService(options: CommonServiceOptions): Required<Omit<CommonServiceOptions, 'trustedCas'>> & { trustedCas?: TrustedCas } {
  if (typeof options !== 'object' || options === null) invalidOption(`options: expected an object, found ${typeOf(options)}`);
  const { dir, trustedCas, maxBodyBytes = DEFAULT_BODY_LIMIT, signatureThreads = Math.min(availableParallelism(), MAX_SIGNATURE_THREADS) } = options;
  if (typeof dir !== 'string' || dir.length === 0) invalidOption(`dir: expected a directory path, found ${typeOf(dir)}`);
  if (trustedCas !== undefined && typeof trustedCas !== 'function') invalidOption(`trustedCas: expected a function returning CA chains, found ${typeOf(trustedCas)}`);
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1024) invalidOption(`maxBodyBytes: expected an integer of at least 1024, found ${String(maxBodyBytes)}`);
  if (!Number.isSafeInteger(signatureThreads) || signatureThreads < 0 || signatureThreads > MAX_SIGNATURE_THREADS) {
    invalidOption(`signatureThreads: expected an integer from 0 to ${MAX_SIGNATURE_THREADS}, found ${String(signatureThreads)}`);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new RekorServiceError('STACK_REKOR_STORAGE_FAILED', `${dir}: cannot create the state directory (${describeError(err)})`, { cause: err });
  }
  return { dir, trustedCas, maxBodyBytes, signatureThreads };
}

/** Starts the signature-check threads; a failure closes what was opened before it. */
export async function startChecksOrClose(threads: number, close: () => Promise<void>): Promise<SignatureChecks> {
  try {
    return startSignatureChecks(threads);
  } catch (err) {
    await close();
    throw err;
  }
}

export function invalidOption(message: string): never {
  throw new RekorServiceError('STACK_REKOR_OPTIONS_INVALID', message);
}

/**
 * Remembers what reading a verifier gave, refusals included (signers reuse a certificate, and a
 * chain check costs a P-384 verification), keyed by the caller's text.
 */
export function cachedReads<T>(limit = 4096): (key: string, read: () => T) => T {
  const cache = new Map<string, T | HttpError>();
  return (key, read) => {
    let result = cache.get(key);
    if (result === undefined) {
      try {
        result = read();
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        result = err;
      }
      if (cache.size >= limit) cache.clear();
      cache.set(key, result);
    }
    if (result instanceof HttpError) throw result;
    return result as T;
  };
}
