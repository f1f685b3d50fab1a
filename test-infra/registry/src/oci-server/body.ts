import type { IncomingMessage } from 'node:http';
import { DistributionError } from './distribution-error.js';

/** The request body, refused with 413 as soon as it is known to exceed `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (found: string) =>
    new DistributionError(413, 'SIZE_INVALID', `request body: expected at most ${limit} bytes, found ${found}`);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge(String(declared));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge('more');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
