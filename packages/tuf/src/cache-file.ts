import { readFileSync, statSync } from 'node:fs';

/** A file of the cache, read whole when it is at most `maxBytes` long. */
export function readCacheFile(path: string, maxBytes: number): Buffer {
  const { size } = statSync(path);
  if (size > maxBytes) throw new Error(`${size} bytes, more than the ${maxBytes} allowed`);
  return readFileSync(path);
}
