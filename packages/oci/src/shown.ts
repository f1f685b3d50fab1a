import { typeOf } from '@sigil/encoding';

/** A value for a message: strings quoted and cut short, control characters escaped; others by type. */
export function shown(value: unknown, max = 100): string {
  if (typeof value !== 'string') return typeOf(value);
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}
