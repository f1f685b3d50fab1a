import { typeOf } from './type-of.js';

/** Builds the caller's own typed error for a response field that is not what it should be. */
export type InvalidField = (reason: string, path: string, cause?: unknown) => Error;

/**
 * A cursor into a parsed JSON answer that reads it strictly: each read names its JSON path
 * (`$.chain.certificates[0]`), and anything of the wrong type, missing or out of bounds
 * ends in the caller's error. Unknown fields are ignored, so servers may add some.
 */
export class JsonCursor {
  constructor(
    readonly value: unknown,
    readonly path: string,
    private readonly invalid: InvalidField,
  ) {}

  static root(value: unknown, invalid: InvalidField): JsonCursor {
    return new JsonCursor(value, '$', invalid);
  }

  field(key: string): JsonCursor {
    const object = this.object();
    return new JsonCursor(Object.hasOwn(object, key) ? object[key] : undefined, `${this.path}.${key}`, this.invalid);
  }

  /** The field, or undefined when it is absent or null. */
  optionalField(key: string): JsonCursor | undefined {
    const child = this.field(key);
    return child.value === undefined || child.value === null ? undefined : child;
  }

  object(): Record<string, unknown> {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) this.fail(`expected an object, found ${found(this.value)}`);
    return this.value as Record<string, unknown>;
  }

  string(maxLength = 1 << 20): string {
    if (typeof this.value !== 'string') this.fail(`expected a string, found ${found(this.value)}`);
    if (this.value.length > maxLength) this.fail(`expected at most ${maxLength} characters, found ${this.value.length}`);
    return this.value;
  }

  nonEmptyString(maxLength?: number): string {
    const text = this.string(maxLength);
    if (text === '') this.fail('expected a non-empty string, found an empty one');
    return text;
  }

  /**
   * A non-negative integer, as a JSON number or a decimal string. Numbers above 2^53 are
   * refused: JSON.parse has already rounded them.
   */
  integer(): bigint {
    const { value } = this;
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) this.fail(`expected a non-negative integer below 2^53, found ${value}`);
      return BigInt(value);
    }
    if (typeof value === 'string' && /^(0|[1-9][0-9]{0,18})$/.test(value) && BigInt(value) <= (1n << 63n) - 1n) return BigInt(value);
    return this.fail(`expected a non-negative integer, found ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : found(value)}`);
  }

  items(min: number, max: number): JsonCursor[] {
    if (!Array.isArray(this.value)) this.fail(`expected an array, found ${found(this.value)}`);
    if (this.value.length < min || this.value.length > max) this.fail(`expected ${min} to ${max} items, found ${this.value.length}`);
    return this.value.map((item, i) => new JsonCursor(item, `${this.path}[${i}]`, this.invalid));
  }

  /** The string, decoded by `read`; whatever `read` throws becomes the caller's error at this path. */
  decode<T>(read: (text: string) => T, maxLength?: number): T {
    const text = this.string(maxLength);
    try {
      return read(text);
    } catch (err) {
      return this.fail(`${err instanceof Error ? err.message : 'undecodable'}`, err);
    }
  }

  fail(reason: string, cause?: unknown): never {
    throw this.invalid(reason, this.path, cause);
  }
}

function found(value: unknown): string {
  return value === undefined ? 'nothing (the field is absent)' : typeOf(value);
}
