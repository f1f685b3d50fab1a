import { gzipSync } from 'node:zlib';

/** `gzip -n`'s header: deflate, no flags, mtime 0, no extra flags, OS 3 (Unix). */
const FIXED_HEADER = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03);

/**
 * Gzip whose bytes depend only on the input. The header is fixed (zlib writes its build's OS code,
 * which differs on macOS and Windows), and level 0 makes the deflate stream stored blocks, whose
 * layout the format fixes; compressed output could change with the zlib build or CPU features.
 */
export function deterministicGzip(data: Uint8Array): Uint8Array {
  const gzip = new Uint8Array(gzipSync(data, { level: 0 }));
  if (gzip[0] !== 0x1f || gzip[1] !== 0x8b || gzip[2] !== 0x08 || gzip[3] !== 0x00) {
    throw new Error('zlib wrote a gzip header with flags; the fixed header would not fit it');
  }
  gzip.set(FIXED_HEADER, 0);
  return gzip;
}
