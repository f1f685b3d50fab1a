import { EncodingError } from './errors.js';
import { typeOf } from './base64.js';

const HEX_SHAPE = /^(?:[0-9a-fA-F]{2})*$/;

export function decodeHex(text: string, what = 'value'): Uint8Array {
  if (typeof text !== 'string' || !HEX_SHAPE.test(text)) {
    const found = typeof text === 'string' ? `"${text.slice(0, 16)}${text.length > 16 ? '...' : ''}"` : typeOf(text);
    throw new EncodingError('ENCODING_INVALID_HEX', `${what}: expected an even number of hex digits, found ${found}`);
  }
  const bytes = Buffer.from(text, 'hex');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
