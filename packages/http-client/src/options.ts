import { typeOf } from './type-of.js';
import { HttpClientError } from './errors.js';
import { nodeFetch } from './node-fetch.js';

export type FetchFunction = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** How a client talks to its server; what Fulcio, Rekor and TSA clients pass through. */
export interface HttpOptions {
  /** Per attempt, from sending the request to the last body byte. Default 30 s. */
  timeoutMs?: number;
  /** Attempts after the first, on 5xx, 429, network errors and timeouts. Default 3. */
  retries?: number;
  /** The first backoff step; it doubles with each retry. Default 500 ms. */
  retryDelayMs?: number;
  /** The longest wait between attempts, also for a server's Retry-After. Default 30 s. */
  maxRetryDelayMs?: number;
  /** Default 16 MiB. */
  maxResponseBytes?: number;
  /** node:http(s) with keep-alive connections unless given (tests, or another runtime's fetch). */
  fetch?: FetchFunction;
  /**
   * A deadline over every attempt and wait (a command's `--timeout`): once it fires, the
   * attempt under way is abandoned and no other is made (HTTP_DEADLINE).
   */
  signal?: AbortSignal;
}

export interface RequestOptions extends HttpOptions {
  /** Default GET, or POST with a body. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** A JSON value (sent as application/json), or bytes sent as they are (set content-type in headers). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The statuses that count as an answer; default any 2xx. */
  expectStatus?: number | readonly number[];
  /** Strings to blank out of server messages (say, a token a hostile server might echo). */
  redact?: readonly string[];
}

export const DEFAULTS = {
  timeoutMs: 30_000,
  retries: 3,
  retryDelayMs: 500,
  maxRetryDelayMs: 30_000,
  maxResponseBytes: 16 * 1024 * 1024,
} as const;

export interface ResolvedOptions {
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  maxResponseBytes: number;
  fetch: FetchFunction;
  signal: AbortSignal | undefined;
}

export function resolveOptions(options: HttpOptions): ResolvedOptions {
  return {
    timeoutMs: count(options.timeoutMs, DEFAULTS.timeoutMs, 'timeoutMs', 1),
    retries: count(options.retries, DEFAULTS.retries, 'retries', 0, 20),
    retryDelayMs: count(options.retryDelayMs, DEFAULTS.retryDelayMs, 'retryDelayMs', 0),
    maxRetryDelayMs: count(options.maxRetryDelayMs, DEFAULTS.maxRetryDelayMs, 'maxRetryDelayMs', 0),
    maxResponseBytes: count(options.maxResponseBytes, DEFAULTS.maxResponseBytes, 'maxResponseBytes', 0),
    fetch: fetchOf(options.fetch),
    signal: signalOf(options.signal),
  };
}

function count(value: unknown, fallback: number, name: string, min: number, max = 2 ** 31): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HttpClientError('HTTP_REQUEST_INVALID', `${name}: expected an integer from ${min} to ${max}, found ${typeOf(value)}`);
  }
  return value;
}

function signalOf(value: unknown): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw new HttpClientError('HTTP_REQUEST_INVALID', `signal: expected an AbortSignal, found ${typeOf(value)}`);
}

function fetchOf(value: unknown): FetchFunction {
  if (value === undefined) return nodeFetch;
  if (typeof value !== 'function') throw new HttpClientError('HTTP_REQUEST_INVALID', `fetch: expected a function, found ${typeOf(value)}`);
  return value as FetchFunction;
}
