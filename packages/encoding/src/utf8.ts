import { isUtf8 } from 'node:buffer';
import { EncodingError } from './errors.js';

const encoder = new TextEncoder();

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Strict UTF-8: invalid sequences (overlong forms, surrogates, beyond U+10FFFF) are refused,
 * never replaced, and a byte-order mark is kept as text, as Go keeps it. Checked by Node's
 * isUtf8 and decoded by Buffer rather than a fatal TextDecoder, whose first use opens an ICU
 * converter: about 0.15 ms of every cold start, for the same answer.
 */
export function utf8Decode(bytes: Uint8Array, what = 'value'): string {
  if (!isUtf8(bytes)) throw new EncodingError('ENCODING_INVALID_UTF8', `${what}: expected UTF-8 text, found invalid byte sequences`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
