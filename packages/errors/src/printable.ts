// Strings from bundles, certificates, tokens and registries end up in messages a terminal
// shows. Control characters (C0, DEL, C1: cursor moves, colours, carriage returns) and format
// characters (bidi overrides and isolates, zero-width marks, tag characters) would let such a
// string rewrite or reorder what the user reads, so they are shown as \uXXXX escapes instead:
// readable, and still valid inside a JSON string.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const UNPRINTABLE_BUT_NEWLINE = /[^\P{Cc}\n]|[\p{Cf}\u2028\u2029]/gu;
const ANY_UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

function escape(char: string): string {
  let out = '';
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * `text` with every control and format character escaped as `\uXXXX`, for a terminal.
 * `keepNewlines` leaves "\n" alone: for whole outputs whose line breaks are the program's own.
 */
export function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  return String(text).replace(options.keepNewlines ? UNPRINTABLE_BUT_NEWLINE : UNPRINTABLE, escape);
}

/** True when `text` holds no control or format character (a value safe to print as it is). */
export function isPrintable(text: string): boolean {
  return !ANY_UNPRINTABLE.test(text);
}
