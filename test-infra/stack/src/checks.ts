import { typeOf } from '@sigil/encoding';
import { StackError } from './errors.js';

export function invalid(message: string): never {
  throw new StackError('STACK_INPUT_INVALID', message);
}

export function checkBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length === 0) invalid(`${what}: expected non-empty bytes, found ${typeOf(value)}`);
  return value;
}

export function checkDate(value: unknown, what: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) invalid(`${what}: expected a valid Date, found ${typeOf(value)}`);
  return value;
}

export function checkString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) invalid(`${what}: expected a non-empty string, found ${typeOf(value)}`);
  return value;
}

/** Certificates and logs count whole seconds: drop the milliseconds so every party sees one time. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export function unixSeconds(date: Date): bigint {
  return BigInt(Math.floor(date.getTime() / 1000));
}
