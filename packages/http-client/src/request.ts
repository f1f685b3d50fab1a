import { JSON_DOCUMENT_LIMITS, parseJson } from '@sigil/encoding';
import { checkContentType, mediaTypeOf } from './content-type.js';
import { HttpClientError, type HttpClientErrorCode } from './errors.js';
import { resolveOptions, type RequestOptions, type ResolvedOptions } from './options.js';
import { discardBody, readBoundedBody } from './read-body.js';
import { authorizationSecrets, cleanServerMessage, displayServerUrl, displayUrl } from './redact.js';
import { requireSecureTransport } from './service-url.js';
import { backoffDelay, retryAfterDelay, sleep } from './retry-delay.js';
import { typeOf } from './type-of.js';

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** How an expected answer is checked and decoded. */
export interface BodyReader<T> {
  /** Accepted media types, without parameters. */
  accept: readonly string[];
  decode(bytes: Uint8Array, where: string): T;
}

/** A failed attempt, before it becomes the error the caller sees. */
export interface Failure {
  code: HttpClientErrorCode;
  reason: string;
  retryable: boolean;
  status?: number;
  serverMessage?: string;
  retryAfterMs?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
  hint?: string;
}

export type Attempt<T> = { response: HttpResponse<T> } | { failure: Failure };

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
// A server's error body is read only for its message: a small bound is plenty.
export const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * One request with a per-attempt timeout and retries (exponential backoff with jitter,
 * Retry-After honoured up to a cap) on 5xx, 429, network errors and timeouts; any other
 * answer outside `expectStatus` fails at once.
 */
export async function request<T>(url: string | URL, options: RequestOptions, reader: BodyReader<T>): Promise<HttpResponse<T>> {
  const prepared = prepare(url, options, reader.accept);
  const expected = expectedStatuses(options.expectStatus);
  return withRetries(prepared, async (response, where) => {
    const { status, headers } = response;
    if (!expected(status)) return { failure: await statusFailure(response, prepared.settings, prepared.secrets) };
    try {
      checkContentType(headers.get('content-type'), reader.accept, where, prepared.secrets);
    } catch (err) {
      await discardBody(response);
      throw err;
    }
    const bytes = await readBoundedBody(response, prepared.settings.maxResponseBytes, where);
    return { response: { status, headers, body: reader.decode(bytes, where) } };
  });
}

/** What every attempt of one request shares. */
export interface PreparedRequest {
  target: URL;
  init: RequestInit;
  settings: ResolvedOptions;
  where: string;
  secrets: readonly string[];
}

/** Checks the arguments once, before any attempt; bad ones are HTTP_REQUEST_INVALID. */
export function prepare(url: string | URL, options: RequestOptions, accept: readonly string[]): PreparedRequest {
  const target = parseUrl(url);
  const settings = resolveOptions(options ?? {});
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  if (!METHODS.includes(method)) throw new HttpClientError('HTTP_REQUEST_INVALID', `method: expected one of ${METHODS.join(', ')}, found ${typeOf(method)}`);
  if (options.redact !== undefined && (!Array.isArray(options.redact) || !options.redact.every((s) => typeof s === 'string'))) {
    throw new HttpClientError('HTTP_REQUEST_INVALID', `redact: expected an array of strings, found ${typeOf(options.redact)}`);
  }
  const init: RequestInit = { method, headers: buildHeaders(options, accept), body: encodeBody(options.body), redirect: 'manual' };
  // What the request authenticates with is blanked too, whether or not the caller listed it.
  const sent = Object.entries(options.headers ?? {}).filter(([name]) => /^(proxy-)?authorization$/i.test(name));
  const secrets = [...(options.redact ?? []), ...sent.flatMap(([, value]) => authorizationSecrets(value))];
  // The URL may be one a server chose (a redirect followed by the caller, a token realm).
  return { target, init, settings, where: `${method} ${displayServerUrl(target, secrets)}`, secrets };
}

/** Turns one answer into the result or a failure (retried when it says so). */
export type ResponseHandler<T> = (response: Response, where: string) => Promise<Attempt<T>>;

/** The attempts: each under its own timeout, retried on retryable failures with backoff. */
export async function withRetries<T>(prepared: PreparedRequest, handle: ResponseHandler<T>): Promise<HttpResponse<T>> {
  const { settings, where } = prepared;
  for (let attempt = 0; ; attempt++) {
    if (settings.signal?.aborted) throw deadlineError(where, attempt);
    const result = await attemptOnce(prepared, handle);
    if ('response' in result) return result.response;
    const { failure } = result;
    if (failure.code === 'HTTP_DEADLINE') throw toError(failure, where, attempt + 1);
    if (!failure.retryable || attempt >= settings.retries) throw toError(failure, where, attempt + 1);
    await sleep(failure.retryAfterMs ?? backoffDelay(attempt, settings.retryDelayMs, settings.maxRetryDelayMs), settings.signal);
  }
}

async function attemptOnce<T>(prepared: PreparedRequest, handle: ResponseHandler<T>): Promise<Attempt<T>> {
  const { target, init, settings } = prepared;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.timeoutMs);
  const deadline = settings.signal;
  const onDeadline = () => controller.abort();
  deadline?.addEventListener('abort', onDeadline, { once: true });
  try {
    const response = await settings.fetch(target, { ...init, signal: controller.signal });
    return await handle(response, prepared.where);
  } catch (err) {
    if (deadline?.aborted) return { failure: DEADLINE_FAILURE };
    if (err instanceof HttpClientError) throw err;
    if (timedOut) {
      return { failure: { code: 'HTTP_TIMEOUT', reason: `no complete answer within ${settings.timeoutMs} ms`, retryable: true, details: { timeoutMs: settings.timeoutMs } } };
    }
    return { failure: { code: 'HTTP_NETWORK', reason: `network error (${describeNetworkError(err)})`, retryable: true, cause: err } };
  } finally {
    clearTimeout(timer);
    deadline?.removeEventListener('abort', onDeadline);
    // Whatever is still open of this attempt (a body nobody will read) is let go.
    controller.abort();
  }
}

const DEADLINE_FAILURE: Failure = {
  code: 'HTTP_DEADLINE',
  reason: 'the deadline for the whole command passed before an answer',
  retryable: false,
  hint: 'The server is slow or unreachable; raise --timeout if it is only slow.',
};

function deadlineError(where: string, attempts: number): HttpClientError {
  return toError(DEADLINE_FAILURE, where, Math.max(1, attempts));
}

export async function statusFailure(response: Response, settings: ResolvedOptions, secrets: readonly string[]): Promise<Failure> {
  const { status, headers } = response;
  const serverMessage = await readServerMessage(response, secrets);
  const retryable = status >= 500 || status === 429;
  const failure: Failure = {
    code: 'HTTP_STATUS',
    reason: `HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`,
    retryable,
    status,
    details: { status, ...(serverMessage ? { serverMessage } : {}) },
    hint: statusHint(status),
  };
  if (serverMessage) failure.serverMessage = serverMessage;
  if (retryable) {
    const retryAfterMs = retryAfterDelay(headers.get('retry-after'), settings.maxRetryDelayMs);
    if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  }
  const location = headers.get('location');
  if (status >= 300 && status < 400 && location !== null) {
    const shown = safeLocation(location, response.url, secrets);
    failure.details!.location = shown;
    failure.hint = `The server redirects to ${shown}; use that URL.`;
  }
  return failure;
}

/** The `message` of a JSON error body, when the server sent one. */
async function readServerMessage(response: Response, secrets: readonly string[]): Promise<string | undefined> {
  if (mediaTypeOf(response.headers.get('content-type')) !== 'application/json') {
    await discardBody(response);
    return undefined;
  }
  try {
    const bytes = await readBoundedBody(response, ERROR_BODY_LIMIT, 'error body');
    const value: unknown = parseJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'error body', JSON_DOCUMENT_LIMITS['service response']);
    const message = typeof value === 'object' && value !== null ? (value as { message?: unknown }).message : undefined;
    return typeof message === 'string' && message.trim() !== '' ? cleanServerMessage(message, secrets) : undefined;
  } catch {
    return undefined;
  }
}

function toError(failure: Failure, where: string, attempts: number): HttpClientError {
  const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  return new HttpClientError(failure.code, `${where}: ${expectation(failure)}${tries}`, {
    cause: failure.cause,
    status: failure.status,
    serverMessage: failure.serverMessage,
    details: { url: where.slice(where.indexOf(' ') + 1), attempts, ...failure.details },
    hint: failure.hint ?? (failure.code === 'HTTP_TIMEOUT' ? 'The server is slow or unreachable; try again later, or raise the timeout.' : 'Check the URL and that the server is reachable.'),
  });
}

function expectation(failure: Failure): string {
  return failure.code === 'HTTP_STATUS' ? `expected a successful answer, found ${failure.reason}` : failure.reason;
}

function statusHint(status: number): string {
  if (status >= 500) return 'The server failed; try again later.';
  if (status === 429) return 'The server is rate limiting; try again later.';
  if (status === 401 || status === 403) return 'The server refused the credentials.';
  if (status === 404) return 'Check the URL: the server has no such resource.';
  return 'The server refused the request as sent.';
}

function parseUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url instanceof URL ? url.href : String(url));
  } catch {
    throw new HttpClientError('HTTP_REQUEST_INVALID', `URL: expected an absolute http(s) URL, found ${typeof url === 'string' ? JSON.stringify(url.slice(0, 200)) : typeOf(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new HttpClientError('HTTP_REQUEST_INVALID', `URL: expected http: or https:, found ${parsed.protocol}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // fetch refuses them too; the message leaves them out.
    throw new HttpClientError('HTTP_REQUEST_INVALID', `URL ${displayUrl(parsed)}: expected no user name or password in the URL`, {
      hint: 'Pass credentials in a header instead.',
    });
  }
  // Every request, whatever its headers or body: a token may ride in either.
  requireSecureTransport(parsed, 'URL');
  return parsed;
}

function safeLocation(location: string, base: string, secrets: readonly string[]): string {
  try {
    return displayServerUrl(new URL(location, base || undefined), secrets);
  } catch {
    return '(an unreadable Location)';
  }
}

function buildHeaders(options: RequestOptions, accept: readonly string[]): Headers {
  const headers = new Headers(accept.length ? { accept: accept.join(', ') } : {});
  if (options.body !== undefined && !(options.body instanceof Uint8Array)) headers.set('content-type', 'application/json');
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    try {
      headers.set(name, value);
    } catch {
      // The value stays out of the message: it may be a credential.
      throw new HttpClientError('HTTP_REQUEST_INVALID', `header ${JSON.stringify(name.slice(0, 100))}: not a valid HTTP header name or value`);
    }
  }
  return headers;
}

function encodeBody(body: unknown): string | Uint8Array | undefined {
  if (body === undefined || body instanceof Uint8Array) return body;
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch {
    text = undefined;
  }
  if (text === undefined) throw new HttpClientError('HTTP_REQUEST_INVALID', `request body: expected a JSON value or bytes, found ${typeOf(body)} that has no JSON form`);
  return text;
}

function expectedStatuses(expectStatus: RequestOptions['expectStatus']): (status: number) => boolean {
  if (expectStatus === undefined) return (status) => status >= 200 && status < 300;
  const list = typeof expectStatus === 'number' ? [expectStatus] : expectStatus;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
    throw new HttpClientError('HTTP_REQUEST_INVALID', `expectStatus: expected HTTP status codes, found ${typeOf(expectStatus)}`);
  }
  return (status) => list.includes(status);
}

/** What undici says went wrong with the connection: its code and message, never the request. */
function describeNetworkError(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const parts = [
    typeof cause?.code === 'string' ? cause.code : undefined,
    typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.message : undefined,
  ].filter((part): part is string => part !== undefined && part !== '');
  const text = parts.length ? parts.join(': ') : 'unknown failure';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
