// Reading fields of a request body: anything of the wrong shape is a 400 naming the field.
import { decodeBase64, typeOf } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { HttpError } from '../http/index.js';

export function objectField(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, `${what}: expected an object, found ${typeOf(value)}`);
  return value as Record<string, unknown>;
}

export function stringField(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new HttpError(400, `${what}: expected a non-empty string, found ${typeOf(value)}`);
  return value;
}

export function arrayField(value: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new HttpError(400, `${what}: expected a non-empty array, found ${typeOf(value)}`);
  if (value.length > max) throw new HttpError(400, `${what}: expected at most ${max} items, found ${value.length}`);
  return value;
}

export function base64Field(value: unknown, what: string): Uint8Array {
  const text = stringField(value, what);
  try {
    return decodeBase64(text, what);
  } catch (err) {
    throw new HttpError(400, `${what}: expected base64 (${describeError(err)})`);
  }
}
