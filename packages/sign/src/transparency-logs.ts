// The logs a signing writes to: every one the options name (a signing config's selection), v1
// or v2 as each says, in parallel; the bundle carries one entry per log.
import type { TransparencyLogEntry } from '@sigil/bundle';
import { createRekorClient, createRekorV2Client, type RekorClient, type RekorV2Client } from '@sigil/rekor/client';
import { SignError } from './errors.js';
import type { SignOptions } from './sign-blob.js';

/** A Rekor log to write to: `majorApiVersion` 1 is Rekor v1's API, 2 rekor-tiles'. */
export interface TransparencyLogService {
  url: string;
  majorApiVersion: 1 | 2;
}

/** The part of the options that names services, keyless or with a key. */
export type ServiceOptions = Pick<SignOptions, 'rekorURL' | 'transparencyLogs' | 'tsaURL' | 'tsaURLs' | 'http'>;

/** The logs the options name: `transparencyLogs`, else `rekorURL` as a Rekor v1 log. */
export function logServices(options: ServiceOptions): TransparencyLogService[] {
  if (options.transparencyLogs !== undefined) {
    if (!Array.isArray(options.transparencyLogs) || options.transparencyLogs.length === 0) {
      throw new SignError('SIGN_OPTIONS_INVALID', 'sign options: expected transparencyLogs to name at least one log, found none');
    }
    for (const log of options.transparencyLogs) {
      if (typeof log?.url !== 'string' || log.url === '' || (log.majorApiVersion !== 1 && log.majorApiVersion !== 2)) {
        throw new SignError('SIGN_OPTIONS_INVALID', `sign options: expected each transparency log as { url, majorApiVersion: 1 | 2 }, found ${JSON.stringify(log)?.slice(0, 120)}`);
      }
    }
    return options.transparencyLogs;
  }
  if (typeof options.rekorURL !== 'string' || options.rekorURL === '') throw new SignError('SIGN_OPTIONS_INVALID', 'sign options: expected rekorURL or transparencyLogs, found neither');
  return [{ url: options.rekorURL, majorApiVersion: 1 }];
}

/** The TSAs the options name: `tsaURLs`, else `tsaURL`. */
export function timestampAuthorities(options: ServiceOptions): string[] {
  return options.tsaURLs ?? (options.tsaURL ? [options.tsaURL] : []);
}

export async function logToEach(
  options: ServiceOptions,
  write: { v1: (rekor: RekorClient) => Promise<TransparencyLogEntry>; v2: (rekor: RekorV2Client) => Promise<TransparencyLogEntry> },
): Promise<TransparencyLogEntry[]> {
  return Promise.all(
    logServices(options).map((log) =>
      log.majorApiVersion === 2 ? write.v2(createRekorV2Client({ url: log.url, ...options.http })) : write.v1(createRekorClient({ url: log.url, ...options.http })),
    ),
  );
}
