import { OciError } from '../errors.js';
import { resolveServerUrl } from './registry-url.js';

/**
 * The `rel="next"` target of a Link header (RFC 8288), resolved against the request URL;
 * undefined when there is none. The next page must stay on the registry's origin.
 */
export function nextPageUrl(header: string | null, base: URL, what: string): URL | undefined {
  if (header === null) return undefined;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]*)*)/g)) {
    const params = match[2]!.split(';').map((p) => p.trim().toLowerCase());
    if (!params.some((p) => /^rel\s*=\s*"?([^"]*\s)?next(\s[^"]*)?"?$/.test(p))) continue;
    const url = resolveServerUrl(match[1]!, base, `${what}: Link`);
    if (url.origin !== base.origin) throw new OciError('OCI_RESPONSE_INVALID', `${what}: expected the next page on ${base.origin}, found ${url.origin}`);
    return url;
  }
  return undefined;
}
