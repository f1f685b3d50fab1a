import { EncodingError } from './errors.js';

// Protobuf JSON writes bytes as standard base64 but readers must accept the URL-safe
// alphabet too; padding is optional. Anything else is refused, never silently skipped
// (Buffer.from(s, 'base64') ignores junk characters, which would hide tampering).
const COMMON = 1;
const STANDARD = 2; // + and /
const URL_SAFE = 4; // - and _
const CLASS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') CLASS[c.charCodeAt(0)] = COMMON;
CLASS['+'.charCodeAt(0)] = STANDARD;
CLASS['/'.charCodeAt(0)] = STANDARD;
CLASS['-'.charCodeAt(0)] = URL_SAFE;
CLASS['_'.charCodeAt(0)] = URL_SAFE;
const EQUALS = 61;
// The common case in one native scan each (a JavaScript loop per character costs
// milliseconds of a cold start on a trusted root); the loop below only explains a refusal.
// Any run of '=' matches: the length check below explains too much padding.
const STANDARD_TEXT = /^[A-Za-z0-9+/]*=*$/;
const URL_SAFE_TEXT = /^[A-Za-z0-9_-]*=*$/;

/** Strict base64 (either alphabet, padded or not). */
export function decodeBase64(text: string, what = 'value'): Uint8Array {
  if (typeof text !== 'string') {
    throw new EncodingError('ENCODING_INVALID_BASE64', `${what}: expected a base64 string, found ${typeOf(text)}`);
  }
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === EQUALS) end--;
  const padding = text.length - end;
  if (!STANDARD_TEXT.test(text) && !URL_SAFE_TEXT.test(text)) refuseCharacters(text, end, what);
  if (padding > 2 || end % 4 === 1 || (padding > 0 && text.length % 4 !== 0)) {
    throw new EncodingError('ENCODING_INVALID_BASE64', `${what}: expected base64, found a length of ${text.length} that no encoding produces`);
  }
  // Node's base64 decoder reads both alphabets; the checks above made the input unambiguous.
  const bytes = Buffer.from(text, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Names the first character outside both alphabets, or the mix of the two. */
function refuseCharacters(text: string, end: number, what: string): never {
  let seen = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const cls = code < 128 ? CLASS[code]! : 0;
    if (cls === 0) {
      throw new EncodingError('ENCODING_INVALID_BASE64', `${what}: expected base64, found a character outside the base64 alphabet at offset ${i}`);
    }
    seen |= cls;
  }
  if ((seen & STANDARD) !== 0 && (seen & URL_SAFE) !== 0) {
    throw new EncodingError('ENCODING_INVALID_BASE64', `${what}: expected base64, found the standard and URL-safe alphabets mixed`);
  }
  // Not reached: text that passes the loop matches one of the patterns.
  throw new EncodingError('ENCODING_INVALID_BASE64', `${what}: expected base64`);
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
