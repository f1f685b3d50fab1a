import { EncodingError } from './errors.js';

// Protobuf JSON writes bytes as standard base64 but readers must accept the URL-safe
// alphabet too; padding is optional. Anything else is refused, never silently skipped
// (Buffer.from(s, 'base64') ignores junk characters, which would hide tampering).
const BASE64_SHAPE = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function decodeBase64(text: string, what = 'value'): Uint8Array {
  if (typeof text !== 'string') {
    throw new EncodingError('ENCODING_INVALID_BASE64', `${what}: expected a base64 string, found ${typeOf(text)}`);
  }
  if (!BASE64_SHAPE.test(text)) {
    throw new EncodingError('ENCODING_INVALID_BASE64', `${what}: expected base64, found characters outside the base64 alphabet`);
  }
  const body = text.replace(/=+$/, '');
  const urlSafe = /[-_]/.test(body);
  if (urlSafe && /[+/]/.test(body)) {
    throw new EncodingError('ENCODING_INVALID_BASE64', `${what}: expected base64, found the standard and URL-safe alphabets mixed`);
  }
  if (body.length % 4 === 1 || (text.length !== body.length && text.length % 4 !== 0)) {
    throw new EncodingError('ENCODING_INVALID_BASE64', `${what}: expected base64, found a length of ${text.length} that no encoding produces`);
  }
  const bytes = Buffer.from(body, urlSafe ? 'base64url' : 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

export function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
