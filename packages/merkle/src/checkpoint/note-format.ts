// Shared rules of the C2SP signed-note format (c2sp.org/signed-note).
import { decodeBase64, encodeBase64 } from '@sigil/encoding';

/** Every signature line starts with an em dash (U+2014) and a space. */
export const SIGNATURE_PREFIX = '\u2014 ';

/** Bounds: the spec asks verifiers to accept at least 16 signatures of up to ~5 kB each. */
export const MAX_NOTE_LENGTH = 1 << 20;
export const MAX_SIGNATURES = 100;

export const KEY_HINT_SIZE = 4;

// Controls other than newline are forbidden; lone surrogates cannot be written as UTF-8.
const FORBIDDEN_CHARACTER = /[\u0000-\u0009\u000b-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasForbiddenCharacter(text: string): boolean {
  return FORBIDDEN_CHARACTER.test(text);
}

/** Key names are non-empty and hold no Unicode space and no plus sign. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasForbiddenCharacter(name);
}

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Standard padded base64 in its one canonical spelling, or undefined. The note format
 * allows no URL-safe alphabet, no missing padding and no stray bits.
 */
export function decodeCanonicalBase64(text: string): Uint8Array | undefined {
  if (!STANDARD_BASE64.test(text)) return undefined;
  const bytes = decodeBase64(text);
  return encodeBase64(bytes) === text ? bytes : undefined;
}
