import { HttpClientError } from './errors.js';

/** The media type without parameters, lower case: `application/json; charset=utf-8` -> `application/json`. */
export function mediaTypeOf(header: string | null): string | undefined {
  if (header === null) return undefined;
  const essence = header.split(';')[0]!.trim().toLowerCase();
  return essence === '' ? undefined : essence;
}

export function checkContentType(header: string | null, accepted: readonly string[], where: string): void {
  const found = mediaTypeOf(header);
  if (found !== undefined && accepted.includes(found)) return;
  const shown = found === undefined ? 'no Content-Type' : JSON.stringify(found.slice(0, 100));
  throw new HttpClientError('HTTP_CONTENT_TYPE', `${where}: expected Content-Type ${accepted.join(' or ')}, found ${shown}`, {
    details: { expected: [...accepted], found: found ?? null },
  });
}
