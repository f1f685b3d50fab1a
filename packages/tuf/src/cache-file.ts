import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

// Anyone who can write the cache could plant a link (to a file elsewhere), a FIFO (a read that
// never returns) or a file of gigabytes: a cache file is opened without following links and
// without blocking, and read only when it is a regular file of at most `maxBytes`.
const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** current.json and remote.json: a few hundred bytes. */
export const SMALL_FILE_BYTES = 64 * 1024;

export class CacheFileTooLarge extends Error {
  constructor(
    readonly size: number,
    maxBytes: number,
  ) {
    super(`${size} bytes, more than the ${maxBytes} allowed`);
  }
}

export function readCacheFile(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new Error('a symbolic link, not a regular file');
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > maxBytes) throw new CacheFileTooLarge(stat.size, maxBytes);
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
