import { utf8Decode } from '@sigil/encoding';

/**
 * A strict, bounds-checked DER reader: definite minimal lengths, low tag numbers only.
 * It exists because asn1js (under @peculiar/asn1-schema) takes about 1 ms per Fulcio leaf,
 * ten times the budget of a whole verification; this walks the same bytes in a few µs.
 * It reads; it never allocates a tree.
 */
export class DerError extends Error {}

/** One TLV: `tag` is the identifier octet; the value is bytes[valueStart, end). */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag [n], constructed or primitive. */
export const contextTag = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n;

/** Reads the TLV at `offset`; it must end at or before `limit`. */
export function readTlv(bytes: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated DER header at offset ${offset}`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`unsupported high tag number at offset ${offset}`);
  let length = bytes[offset + 1]!;
  let valueStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) throw new DerError(`indefinite length at offset ${offset} (BER, not DER)`);
    if (count > 4) throw new DerError(`length of ${count} bytes at offset ${offset}`);
    if (valueStart + count > limit) throw new DerError(`truncated DER length at offset ${offset}`);
    if (bytes[valueStart] === 0) throw new DerError(`non-minimal length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[valueStart + i]!;
    if (length < 0x80) throw new DerError(`non-minimal length at offset ${offset}`);
    valueStart += count;
  }
  const end = valueStart + length;
  if (end > limit) throw new DerError(`DER value at offset ${offset} runs past its container (${end} > ${limit})`);
  return { tag, start: offset, valueStart, end };
}

/** Reads the single TLV that must fill `bytes` exactly. */
export function readWhole(bytes: Uint8Array, tag: number, what: string): Tlv {
  const tlv = readTlv(bytes, 0, bytes.length);
  expectTag(tlv, tag, what);
  if (tlv.end !== bytes.length) throw new DerError(`${what}: ${bytes.length - tlv.end} trailing bytes`);
  return tlv;
}

export function expectTag(tlv: Tlv, tag: number, what: string): Tlv {
  if (tlv.tag !== tag) throw new DerError(`${what}: expected tag 0x${hex2(tag)}, found 0x${hex2(tlv.tag)}`);
  return tlv;
}

const MAX_CHILDREN = 1024;

/** The TLVs inside a constructed value, which must fill it exactly. */
export function children(bytes: Uint8Array, parent: Tlv, what: string): Tlv[] {
  if (!(parent.tag & 0x20)) throw new DerError(`${what}: expected a constructed value`);
  const out: Tlv[] = [];
  let offset = parent.valueStart;
  while (offset < parent.end) {
    if (out.length >= MAX_CHILDREN) throw new DerError(`${what}: more than ${MAX_CHILDREN} elements`);
    const child = readTlv(bytes, offset, parent.end);
    out.push(child);
    offset = child.end;
  }
  return out;
}

export function value(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.valueStart, tlv.end);
}

export function raw(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

export function readOid(bytes: Uint8Array, tlv: Tlv, what: string): string {
  expectTag(tlv, TAG.OID, what);
  const { valueStart, end } = tlv;
  if (valueStart === end || end - valueStart > 64) throw new DerError(`${what}: OID of ${end - valueStart} bytes`);
  let text = '';
  let arc = 0;
  let fresh = true;
  for (let i = valueStart; i < end; i++) {
    const b = bytes[i]!;
    if (fresh && b === 0x80) throw new DerError(`${what}: non-minimal OID arc`);
    if (arc > 0xffffffffffff) throw new DerError(`${what}: OID arc too large`);
    arc = arc * 128 + (b & 0x7f);
    fresh = b < 0x80;
    if (fresh) {
      if (text) text += `.${arc}`;
      else text = arc < 80 ? `${(arc / 40) | 0}.${arc % 40}` : `2.${arc - 80}`;
      arc = 0;
    }
  }
  if (!fresh) throw new DerError(`${what}: truncated OID`);
  return text;
}

/** INTEGER content bytes (two's complement), checked for minimal encoding. */
export function readIntegerBytes(bytes: Uint8Array, tlv: Tlv, what: string): Uint8Array {
  expectTag(tlv, TAG.INTEGER, what);
  const content = value(bytes, tlv);
  if (content.length === 0) throw new DerError(`${what}: empty INTEGER`);
  if (content.length > 1 && ((content[0] === 0 && !(content[1]! & 0x80)) || (content[0] === 0xff && content[1]! & 0x80))) {
    throw new DerError(`${what}: non-minimal INTEGER`);
  }
  return content;
}

/** A non-negative INTEGER that fits in 31 bits (versions, path lengths). */
export function readSmallInteger(bytes: Uint8Array, tlv: Tlv, what: string): number {
  const content = readIntegerBytes(bytes, tlv, what);
  if (content[0]! & 0x80 || content.length > 4 || (content.length === 4 && content[0] !== 0 && content[0]! > 0x7f)) {
    throw new DerError(`${what}: expected a small non-negative INTEGER`);
  }
  let n = 0;
  for (const b of content) n = n * 256 + b;
  if (n > 0x7fffffff) throw new DerError(`${what}: INTEGER too large`);
  return n;
}

export function readBoolean(bytes: Uint8Array, tlv: Tlv, what: string): boolean {
  expectTag(tlv, TAG.BOOLEAN, what);
  if (tlv.end - tlv.valueStart !== 1) throw new DerError(`${what}: BOOLEAN of ${tlv.end - tlv.valueStart} bytes`);
  const b = bytes[tlv.valueStart];
  if (b !== 0 && b !== 0xff) throw new DerError(`${what}: BOOLEAN 0x${hex2(b!)} is not DER (0x00 or 0xff)`);
  return b === 0xff;
}

/** A BIT STRING's bytes and its count of unused trailing bits. */
export function readBitString(bytes: Uint8Array, tlv: Tlv, what: string): { bits: Uint8Array; unused: number } {
  expectTag(tlv, TAG.BIT_STRING, what);
  if (tlv.end === tlv.valueStart) throw new DerError(`${what}: empty BIT STRING`);
  const unused = bytes[tlv.valueStart]!;
  if (unused > 7 || (unused > 0 && tlv.end - tlv.valueStart === 1)) throw new DerError(`${what}: invalid unused-bit count ${unused}`);
  return { bits: bytes.subarray(tlv.valueStart + 1, tlv.end), unused };
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d*[1-9])?Z$/;

/**
 * UTCTime or GeneralizedTime in their DER forms (UTC, seconds present). Fractional
 * seconds are accepted only where the caller allows them (RFC 3161 genTime).
 */
export function readTime(bytes: Uint8Array, tlv: Tlv, what: string, allowFraction = false): Date {
  const text = latin1(value(bytes, tlv));
  let match: RegExpExecArray | null;
  let year: number;
  if (tlv.tag === TAG.UTC_TIME && (match = UTC_TIME.exec(text))) {
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (tlv.tag === TAG.GENERALIZED_TIME && (match = GENERALIZED_TIME.exec(text)) && (allowFraction || !match[7])) {
    year = Number(match[1]);
  } else {
    throw new DerError(`${what}: expected a DER UTCTime or GeneralizedTime, found "${text.slice(0, 32)}"`);
  }
  const [month, day, hour, minute, second] = [2, 3, 4, 5, 6].map((i) => Number(match![i]));
  const millis = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0;
  const date = new Date(Date.UTC(year, month! - 1, day, hour, minute, second, millis));
  if (date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day || hour! > 23 || minute! > 59 || second! > 59) {
    throw new DerError(`${what}: invalid date "${text}"`);
  }
  if (year < 100) date.setUTCFullYear(year);
  return date;
}

/** The directory-string types X.509 uses, as text. */
export function readString(bytes: Uint8Array, tlv: Tlv, what: string): string {
  const content = value(bytes, tlv);
  switch (tlv.tag) {
    case TAG.UTF8_STRING:
      try {
        return utf8Decode(content);
      } catch {
        throw new DerError(`${what}: invalid UTF-8 in UTF8String`);
      }
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.VISIBLE_STRING:
      for (const b of content) if (b > 0x7f) throw new DerError(`${what}: non-ASCII byte in an ASCII string type`);
      return latin1(content);
    case TAG.T61_STRING:
      return latin1(content);
    case TAG.BMP_STRING:
      if (content.length % 2) throw new DerError(`${what}: odd-length BMPString`);
      return Array.from({ length: content.length / 2 }, (_, i) => String.fromCharCode((content[2 * i]! << 8) | content[2 * i + 1]!)).join('');
    case TAG.UNIVERSAL_STRING:
      if (content.length % 4) throw new DerError(`${what}: UniversalString length not a multiple of 4`);
      return Array.from({ length: content.length / 4 }, (_, i) => codePoint(content, 4 * i, what)).join('');
    default:
      throw new DerError(`${what}: expected a string type, found tag 0x${hex2(tlv.tag)}`);
  }
}

/** Writes a DER header (tag and minimal length). */
export function header(tag: number, length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(tag, length);
  const lengthBytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) lengthBytes.unshift(n & 0xff);
  return Uint8Array.of(tag, 0x80 | lengthBytes.length, ...lengthBytes);
}

function latin1(content: Uint8Array): string {
  let text = '';
  for (let i = 0; i < content.length; i++) text += String.fromCharCode(content[i]!);
  return text;
}

function codePoint(content: Uint8Array, at: number, what: string): string {
  const cp = ((content[at]! << 24) | (content[at + 1]! << 16) | (content[at + 2]! << 8) | content[at + 3]!) >>> 0;
  if (cp > 0x10ffff) throw new DerError(`${what}: invalid code point in UniversalString`);
  return String.fromCodePoint(cp);
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
