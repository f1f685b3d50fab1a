import { typeOf } from '@sigil/encoding';
import { RekorError } from './errors.js';

/** Rekor's integers are int64: refuse what the log could never have written. */
const MAX_INT64 = (1n << 63n) - 1n;

export function checkInt64(value: unknown, what: string): bigint {
  if (typeof value !== 'bigint') invalid(`${what}: expected a bigint, found ${typeOf(value)}`);
  if (value < 0n || value > MAX_INT64) invalid(`${what}: expected an integer from 0 to 2^63-1, found ${value}`);
  return value;
}

export function checkBytes(value: unknown, what: string, size?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) invalid(`${what}: expected a Uint8Array, found ${typeOf(value)}`);
  if (size === undefined ? value.length === 0 : value.length !== size) {
    invalid(`${what}: expected ${size === undefined ? 'non-empty bytes' : `${size} bytes`}, found ${value.length} bytes`);
  }
  return value;
}

export function invalid(message: string): never {
  throw new RekorError('REKOR_INPUT_INVALID', message);
}
