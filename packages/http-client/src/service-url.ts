import { HttpClientError } from './errors.js';
import { isLoopbackHost } from './loopback.js';
import { displayUrl } from './redact.js';
import { typeOf } from './type-of.js';

/**
 * A service's base URL (`https://rekor.sigstore.dev`, or one with a path prefix) ready for
 * `new URL('api/v1/log', base)`: https, or plain http to a loopback host only, ending in '/',
 * without query or fragment.
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
  requireSecureTransport(parsed, `${service} URL`);
  // Relative endpoint paths resolve below a path prefix only when the base ends in '/'.
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  parsed.search = '';
  parsed.hash = '';
  return parsed;
}

/**
 * Plain http only to loopback: an identity token, a password or a registry token sent in
 * clear text to another host can be read, and redeemed, by anyone on the path.
 */
export function requireSecureTransport(url: URL, what: string): void {
  if (url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return;
  throw new HttpClientError('HTTP_INSECURE_REFUSED', `${what} ${displayUrl(url)}: expected https, found plain http to a host that is not loopback`, {
    details: { url: displayUrl(url) },
    hint: 'Use an https URL; plain http is allowed only to 127.0.0.1, ::1 or localhost.',
  });
}
