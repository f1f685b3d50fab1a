import { describeError, printable } from '@sigil/errors';
import { decodeBase64, decodeHex, typeOf } from '@sigil/encoding';
import { RekorError } from '../errors.js';

/**
 * A cursor into a parsed entry body. Every read names its JSON path, so a malformed body
 * fails with REKOR_BODY_INVALID at exactly the field that is wrong.
 */
export class JsonReader {
  constructor(
    readonly value: unknown,
    readonly path: string,
  ) {}

  field(key: string): JsonReader {
    const object = this.object();
    return new JsonReader(Object.hasOwn(object, key) ? object[key] : undefined, `${this.path}.${key}`);
  }

  /** The field, or undefined when it is absent or null. */
  optionalField(key: string): JsonReader | undefined {
    const child = this.field(key);
    return child.value === undefined || child.value === null ? undefined : child;
  }

  object(): Record<string, unknown> {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) this.fail(`expected an object, found ${found(this.value)}`);
    return this.value as Record<string, unknown>;
  }

  string(): string {
    if (typeof this.value !== 'string') this.fail(`expected a string, found ${found(this.value)}`);
    return this.value;
  }

  /** One of the given strings. */
  oneOf<T extends string>(allowed: readonly T[]): T {
    const text = this.string();
    if (!(allowed as readonly string[]).includes(text)) this.fail(`expected one of ${allowed.join(', ')}, found "${printable(text.slice(0, 40))}"`);
    return text as T;
  }

  items(min: number, max: number): JsonReader[] {
    if (!Array.isArray(this.value)) this.fail(`expected an array, found ${found(this.value)}`);
    if (this.value.length < min || this.value.length > max) this.fail(`expected ${min} to ${max} items, found ${this.value.length}`);
    return this.value.map((item, i) => new JsonReader(item, `${this.path}[${i}]`));
  }

  base64(): Uint8Array {
    return this.decode(() => decodeBase64(this.string(), this.path));
  }

  nonEmptyBase64(): Uint8Array {
    const bytes = this.base64();
    if (bytes.length === 0) this.fail('expected non-empty bytes, found none');
    return bytes;
  }

  hex(): Uint8Array {
    return this.decode(() => decodeHex(this.string(), this.path));
  }

  fail(reason: string, cause?: unknown): never {
    throw new RekorError('REKOR_BODY_INVALID', `entry body ${this.path}: ${reason}`, { cause, details: { path: this.path } });
  }

  private decode(read: () => Uint8Array): Uint8Array {
    try {
      return read();
    } catch (err) {
      if (err instanceof RekorError) throw err;
      // The encoding error already starts with the path it was given.
      throw new RekorError('REKOR_BODY_INVALID', `entry body ${describeError(err)}`, {
        cause: err,
        details: { path: this.path },
      });
    }
  }
}

function found(value: unknown): string {
  return value === undefined ? 'nothing (the field is absent)' : typeOf(value);
}
