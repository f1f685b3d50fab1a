// Reading fields of a request body: anything of the wrong shape is a 400 naming the field.
import { decodeBase64, typeOf } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { refusal, type RekorReason } from './reasons.js';

export function objectField(value: unknown, what: string, reason: RekorReason = 'REKOR_ENTRY_MALFORMED'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refusal(reason, `${what}: expected an object, found ${typeOf(value)}`);
  return value as Record<string, unknown>;
}

export function stringField(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw refusal('REKOR_ENTRY_MALFORMED', `${what}: expected a non-empty string, found ${typeOf(value)}`);
  return value;
}

export function arrayField(value: unknown, what: string, max: number, reason: RekorReason = 'REKOR_ENTRY_MALFORMED'): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw refusal(reason, `${what}: expected a non-empty array, found ${typeOf(value)}`);
  if (value.length > max) throw refusal(reason, `${what}: expected at most ${max} items, found ${value.length}`);
  return value;
}

export function base64Field(value: unknown, what: string): Uint8Array {
  const text = stringField(value, what);
  try {
    return decodeBase64(text, what);
  } catch (err) {
    throw refusal('REKOR_ENTRY_MALFORMED', `${what}: expected base64 (${describeError(err)})`);
  }
}
