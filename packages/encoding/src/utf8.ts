import { EncodingError } from './errors.js';

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Decode(bytes: Uint8Array, what = 'value'): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new EncodingError('ENCODING_INVALID_UTF8', `${what}: expected UTF-8 text, found invalid byte sequences`);
  }
}
