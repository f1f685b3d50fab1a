import { typeOf } from '@sigil/encoding';
import { CiError } from './errors.js';

// Characters a POSIX shell passes through unquoted in an argument (no globbing, expansion or
// word splitting); anything else goes in single quotes.
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `value` as one POSIX shell word. */
export function shellQuote(value: string): string {
  if (typeof value !== 'string') throw new CiError('CI_INVALID_ARGUMENT', `shell word: expected a string, found ${typeOf(value)}`);
  if (SAFE.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A command line of shell words. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
