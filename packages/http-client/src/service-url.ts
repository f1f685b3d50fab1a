import { HttpClientError } from './errors.js';
import { typeOf } from './type-of.js';

/**
 * A service's base URL (`https://rekor.sigstore.dev`, or one with a path prefix) ready for
 * `new URL('api/v1/log', base)`: http(s) only, ending in '/', without query or fragment.
 */
export function serviceBaseUrl(url: unknown, service: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' || url instanceof URL ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    const found = typeof url === 'string' ? JSON.stringify(url.slice(0, 200)) : typeOf(url);
    throw new HttpClientError('HTTP_REQUEST_INVALID', `${service} URL: expected an absolute http(s) URL, found ${found}`);
  }
  // Relative endpoint paths resolve below a path prefix only when the base ends in '/'.
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  parsed.search = '';
  parsed.hash = '';
  return parsed;
}
