import { checkJsonShape, type JsonShapeLimits } from '@sigil/encoding';
import { HttpClientError } from './errors.js';
import { jsonLimitsOf, type JsonLimitsOption } from './json-limits-option.js';
import type { RequestOptions } from './options.js';
import { request, type BodyReader, type HttpResponse } from './request.js';

export interface JsonRequestOptions extends RequestOptions {
  /**
   * What the answer's JSON may hold, checked before it is parsed: a document kind's limits, or
   * the caller's own. Default a service response's; raise it for an API known to answer more.
   */
  jsonLimits?: JsonLimitsOption;
}

const jsonBody = (limits: JsonShapeLimits): BodyReader<unknown> => ({
  accept: ['application/json'],
  decode(bytes, where) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (err) {
      throw invalidJson(where, bytes.length, 'not UTF-8', err);
    }
    try {
      checkJsonShape(text, where, limits);
    } catch (err) {
      throw invalidJson(where, bytes.length, `out of bounds (${(err as Error).message.slice(where.length + 2)})`, err);
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      // The parser's message quotes the body; a hostile server chose those bytes.
      throw invalidJson(where, bytes.length, 'not valid JSON', err instanceof SyntaxError ? undefined : err);
    }
  },
});

function invalidJson(where: string, size: number, what: string, cause: unknown): HttpClientError {
  return new HttpClientError('HTTP_INVALID_JSON', `${where}: expected a JSON body, found ${size} bytes that are ${what}`, {
    cause,
    details: { size },
    hint: 'The server answered with something other than its API; check the URL.',
  });
}

/** A request whose answer is `application/json`; the body is parsed but not otherwise checked (`unknown`). */
export async function requestJson(url: string | URL, options: JsonRequestOptions = {}): Promise<HttpResponse<unknown>> {
  return request(url, options, jsonBody(jsonLimitsOf(options?.jsonLimits)));
}

export interface BytesRequestOptions extends RequestOptions {
  /** The media types the answer may have, e.g. `application/timestamp-reply`. */
  accept: string | readonly string[];
}

/** A request whose answer is raw bytes of one of the `accept` media types (DER, PEM). */
export async function requestBytes(url: string | URL, options: BytesRequestOptions): Promise<HttpResponse<Uint8Array>> {
  const accept = typeof options?.accept === 'string' ? [options.accept] : options?.accept;
  if (!Array.isArray(accept) || accept.length === 0 || !accept.every((type) => typeof type === 'string' && type !== '')) {
    throw new HttpClientError('HTTP_REQUEST_INVALID', 'accept: expected one or more media types');
  }
  return request(url, options, { accept: accept.map((type) => type.toLowerCase()), decode: (bytes) => bytes });
}
