import { decodeBase64, decodeHex, typeOf } from '@sigil/encoding';
import type { BundleError, BundleErrorCode, DocumentName } from '../errors.js';
import { describeValue, documentError, type FailOptions } from './fail.js';
import { parseTimestamp } from './timestamp.js';

const INT64_MAX = (1n << 63n) - 1n;
/** 9999-12-31T23:59:59Z: the last second protobuf timestamps and RFC 3339 years can hold. */
const MAX_UNIX_SECONDS = 253_402_300_799n;
const UINT32_MAX = 0xffff_ffff;
const DIGITS = /^[0-9]{1,20}$/;
const LINE_BREAK = /[\r\n]/;
const LINE_BREAKS = /[\r\n]+/g;

/** An untrusted JSON value and where it sits, with strict protobuf-JSON conversions. */
export class JsonValue {
  constructor(
    readonly document: DocumentName,
    readonly path: string,
    readonly value: unknown,
  ) {}

  fail(code: BundleErrorCode, problem: string, options?: FailOptions): BundleError {
    return documentError(code, this.document, this.path, problem, options);
  }

  private invalid(expected: string, options?: FailOptions): BundleError {
    return this.fail('BUNDLE_INVALID_FIELD', `expected ${expected}, found ${describeValue(this.value)}`, options);
  }

  asObject(): JsonObject {
    const v = this.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw this.invalid('a JSON object');
    return new JsonObject(this.document, this.path, v as Record<string, unknown>);
  }

  asString(): string {
    if (typeof this.value !== 'string') throw this.invalid('a string');
    return this.value;
  }

  /**
   * protobuf `bytes`: standard or URL-safe base64, strictly, except that line breaks are
   * skipped as Go's decoder (hence protojson) skips them: real bundles hold `base64` output.
   */
  asBytes(): Uint8Array {
    const text = this.value;
    if (typeof text !== 'string') throw this.invalid('a base64 string');
    try {
      return decodeBase64(text, this.path);
    } catch (err) {
      // Only now look for line breaks: scanning every value first would slow the common case.
      if (LINE_BREAK.test(text)) return new JsonValue(this.document, this.path, text.replace(LINE_BREAKS, '')).asBytes();
      throw this.invalid('standard or URL-safe base64', { cause: err });
    }
  }

  /** Lower- or upper-case hex (not protobuf JSON: legacy cosign bundles use it). */
  asHex(): Uint8Array {
    if (typeof this.value !== 'string') throw this.invalid('a hex string');
    try {
      return decodeHex(this.value, this.path);
    } catch (err) {
      throw this.invalid('an even number of hex digits', { cause: err });
    }
  }

  /** protobuf `int64` that is never negative here: a digit string or an exact JSON number. */
  asInt64(): bigint {
    const v = this.value;
    if (typeof v === 'string') {
      if (!DIGITS.test(v)) throw this.invalid('a non-negative integer string');
      const n = BigInt(v);
      if (n > INT64_MAX) throw this.invalid('an integer of at most 2^63-1');
      return n;
    }
    if (typeof v === 'number') {
      // Beyond 2^53 a JSON number has already been rounded by the parser: refuse, don't guess.
      if (!Number.isSafeInteger(v) || v < 0) throw this.invalid('a non-negative integer (large values as strings)');
      return BigInt(v);
    }
    throw this.invalid('a non-negative integer string');
  }

  /** protobuf `uint32`: a JSON number or a digit string. */
  asUint32(): number {
    const v = this.value;
    const n = typeof v === 'number' ? v : typeof v === 'string' && DIGITS.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < 0 || n > UINT32_MAX) throw this.invalid('an integer from 0 to 2^32-1');
    return n;
  }

  /** google.protobuf.Timestamp: an RFC 3339 string. */
  asTimestamp(): Date {
    const date = typeof this.value === 'string' ? parseTimestamp(this.value) : undefined;
    if (!date) throw this.invalid('an RFC 3339 timestamp such as "2024-01-31T12:00:00Z"');
    return date;
  }

  /** A protobuf enum, by name only (names are what every Sigstore client writes). */
  asEnum<T>(values: Readonly<Record<string, T>>): T {
    const v = this.value;
    if (typeof v === 'string' && Object.hasOwn(values, v)) return values[v]!;
    throw this.invalid(`one of ${Object.keys(values).join(', ')}`);
  }
}

/**
 * A JSON object read the protobuf-JSON way: unknown keys are ignored, `null` means unset,
 * and each typed accessor names the key's path in its error.
 */
export class JsonObject {
  constructor(
    readonly document: DocumentName,
    readonly path: string,
    private readonly fields: Record<string, unknown>,
  ) {}

  static root(value: unknown, document: DocumentName): JsonObject {
    return new JsonValue(document, '', value).asObject();
  }

  pathOf(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  fail(code: BundleErrorCode, problem: string, options?: FailOptions): BundleError {
    return documentError(code, this.document, this.path, problem, options);
  }

  has(key: string): boolean {
    const v = this.fields[key];
    return v !== undefined && v !== null;
  }

  /** The value at `key`, or undefined when absent or null. */
  field(key: string): JsonValue | undefined {
    return this.has(key) ? new JsonValue(this.document, this.pathOf(key), this.fields[key]) : undefined;
  }

  require(key: string, expected: string): JsonValue {
    const value = this.field(key);
    if (!value) {
      throw documentError('BUNDLE_MISSING_FIELD', this.document, this.pathOf(key), `expected ${expected}, found nothing`);
    }
    return value;
  }

  object(key: string): JsonObject {
    return this.require(key, 'an object').asObject();
  }

  optionalObject(key: string): JsonObject | undefined {
    return this.field(key)?.asObject();
  }

  string(key: string): string {
    return this.require(key, 'a string').asString();
  }

  optionalString(key: string): string | undefined {
    return this.field(key)?.asString();
  }

  bytes(key: string): Uint8Array {
    return this.require(key, 'a base64 string').asBytes();
  }

  optionalBytes(key: string): Uint8Array | undefined {
    return this.field(key)?.asBytes();
  }

  /** protobuf JSON omits zero integers, so absent means 0. */
  int64(key: string): bigint {
    return this.field(key)?.asInt64() ?? 0n;
  }

  /** Unix seconds (0 when absent) that a Date can hold and RFC 3339 can write: up to the end of year 9999. */
  unixSeconds(key: string): bigint {
    const field = this.field(key);
    const seconds = field?.asInt64() ?? 0n;
    if (seconds > MAX_UNIX_SECONDS) throw field!.fail('BUNDLE_INVALID_FIELD', `expected Unix seconds up to ${MAX_UNIX_SECONDS} (9999-12-31), found ${seconds}`);
    return seconds;
  }

  optionalTimestamp(key: string): Date | undefined {
    return this.field(key)?.asTimestamp();
  }

  /** Every key and its value (null ones too), refused beyond `max` keys. */
  entries(max: number): [string, JsonValue][] {
    const keys = Object.keys(this.fields);
    if (keys.length > max) throw this.fail('BUNDLE_TOO_LARGE', `expected at most ${max} keys, found ${keys.length}`);
    return keys.map((key) => [key, new JsonValue(this.document, this.pathOf(key), this.fields[key])]);
  }

  /** The one key of a protobuf `oneof` that is set: none or several is an error. */
  oneOf<K extends string>(keys: readonly K[]): { key: K; value: JsonValue } {
    const set = keys.filter((key) => this.has(key));
    if (set.length === 0) {
      throw documentError('BUNDLE_MISSING_FIELD', this.document, this.path, `expected one of ${keys.join(', ')}, found none`, { details: { fields: keys } });
    }
    if (set.length > 1) {
      throw documentError('BUNDLE_INVALID_FIELD', this.document, this.path, `expected only one of ${keys.join(', ')}, found ${set.join(' and ')}`, { details: { fields: set } });
    }
    const key = set[0]!;
    return { key, value: this.field(key)! };
  }

  /**
   * The array at `key`, refused beyond `max` items before any item is read. Absent means
   * empty (protobuf JSON omits empty lists), which is an error when `min` is above 0.
   */
  list(key: string, max: number, min = 0): JsonValue[] {
    const items = this.array(key, min > 0);
    if (items.length > max) throw this.itemCountError(key, 'BUNDLE_TOO_LARGE', 'at most', max, items.length);
    if (items.length < min) throw this.itemCountError(key, 'BUNDLE_INVALID_FIELD', 'at least', min, items.length);
    return this.items(key, items);
  }

  /** The single item of the array at `key`, which must hold exactly one. */
  single(key: string): JsonValue {
    const items = this.array(key, true);
    if (items.length !== 1) throw this.itemCountError(key, 'BUNDLE_INVALID_FIELD', 'exactly', 1, items.length);
    return this.items(key, items)[0]!;
  }

  private array(key: string, required: boolean): unknown[] {
    const value = required ? this.require(key, 'an array') : this.field(key);
    if (!value) return [];
    if (!Array.isArray(value.value)) throw value.fail('BUNDLE_INVALID_FIELD', `expected an array, found ${typeOf(value.value)}`);
    return value.value;
  }

  private items(key: string, items: unknown[]): JsonValue[] {
    const path = this.pathOf(key);
    return items.map((item, i) => new JsonValue(this.document, `${path}[${i}]`, item));
  }

  private itemCountError(key: string, code: BundleErrorCode, bound: string, count: number, found: number): BundleError {
    return documentError(code, this.document, this.pathOf(key), `expected ${bound} ${count} item${count === 1 ? '' : 's'}, found ${found}`);
  }
}
