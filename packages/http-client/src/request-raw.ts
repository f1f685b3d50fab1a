import { HttpClientError } from './errors.js';
import type { HttpOptions, RequestOptions } from './options.js';
import { discardBody, readBodyPrefix, readBoundedBody } from './read-body.js';
import { ERROR_BODY_LIMIT, prepare, statusFailure, withRetries, type HttpResponse } from './request.js';
import { typeOf } from './type-of.js';

export interface RawRequestOptions extends HttpOptions {
  /** Default GET, or POST with a body. */
  method?: RequestOptions['method'];
  /** Sent as they are; set `content-type` in `headers`. */
  body?: Uint8Array;
  /** All request headers, `accept` included (none is added). */
  headers?: Record<string, string>;
  /** Strings to blank out of server messages. */
  redact?: readonly string[];
}

/**
 * A request for protocols that read statuses and headers themselves (a 401 challenge, a
 * 3xx Location, a 404 that means "none"): every answer comes back as it is, whatever its
 * status and media type, except 5xx and 429, which are retried like network errors and
 * timeouts and end in HTTP_STATUS when the retries run out. Redirects are not followed.
 * A 2xx body is bounded by `maxResponseBytes` (HTTP_BODY_TOO_LARGE beyond); any other
 * status keeps at most its first 64 KiB (enough to describe a failure); a HEAD has none.
 */
export async function requestRaw(url: string | URL, options: RawRequestOptions = {}): Promise<HttpResponse<Uint8Array>> {
  const body: unknown = options?.body;
  if (body !== undefined && !(body instanceof Uint8Array)) {
    throw new HttpClientError('HTTP_REQUEST_INVALID', `request body: expected bytes (Uint8Array), found ${typeOf(body)}`);
  }
  const prepared = prepare(url, options ?? {}, []);
  const head = prepared.init.method === 'HEAD';
  return withRetries(prepared, async (response, where) => {
    const { status, headers } = response;
    if (status >= 500 || status === 429) return { failure: await statusFailure(response, prepared.settings, prepared.secrets) };
    if (head) {
      await discardBody(response);
      return { response: { status, headers, body: new Uint8Array(0) } };
    }
    const bytes =
      status >= 200 && status < 300 ? await readBoundedBody(response, prepared.settings.maxResponseBytes, where) : await readBodyPrefix(response, ERROR_BODY_LIMIT);
    return { response: { status, headers, body: bytes } };
  });
}
