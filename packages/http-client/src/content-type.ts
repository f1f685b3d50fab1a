import { HttpClientError } from './errors.js';
import { cleanServerMessage } from './redact.js';

/** The media type without parameters, lower case: `application/json; charset=utf-8` -> `application/json`. */
export function mediaTypeOf(header: string | null): string | undefined {
  if (header === null) return undefined;
  const essence = header.split(';')[0]!.trim().toLowerCase();
  return essence === '' ? undefined : essence;
}

export function checkContentType(header: string | null, accepted: readonly string[], where: string, secrets: readonly string[] = []): void {
  const essence = mediaTypeOf(header);
  if (essence !== undefined && accepted.includes(essence)) return;
  // The server wrote it: it is shown as a server message is.
  const found = essence === undefined ? undefined : cleanServerMessage(essence.slice(0, 100), secrets);
  const shown = found === undefined ? 'no Content-Type' : JSON.stringify(found);
  throw new HttpClientError('HTTP_CONTENT_TYPE', `${where}: expected Content-Type ${accepted.join(' or ')}, found ${shown}`, {
    details: { expected: [...accepted], found: found ?? null },
  });
}
