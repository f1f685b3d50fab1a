import { HttpClientError } from './errors.js';

/**
 * The whole body, read as a stream and refused (stream cancelled, connection dropped) as
 * soon as it passes `limit`: a huge or endless answer never sits in memory. A declared
 * Content-Length over the limit is refused before the first byte is read.
 */
export async function readBoundedBody(response: Response, limit: number, where: string): Promise<Uint8Array> {
  const declared = response.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared.trim()) > limit) {
    await discardBody(response);
    throw tooLarge(where, limit, `Content-Length ${declared.trim()}`);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(where, limit, `more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return join(chunks, total);
}

/**
 * At most the first `limit` bytes of the body, the rest let go unread: for bodies read only
 * to describe a failure, where a cut is harmless and an endless body must not hang or fail.
 */
export async function readBodyPrefix(response: Response, limit: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < limit) {
    const { done, value } = await reader.read();
    if (done) return join(chunks, total);
    const kept = value.subarray(0, limit - total);
    chunks.push(kept);
    total += kept.length;
  }
  await reader.cancel().catch(() => undefined);
  return join(chunks, total);
}

/** Lets the connection go without reading what is left of the body. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function tooLarge(where: string, limit: number, found: string): HttpClientError {
  return new HttpClientError('HTTP_BODY_TOO_LARGE', `${where}: expected a response body of at most ${limit} bytes, found ${found}`, {
    details: { limit },
  });
}

function join(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
