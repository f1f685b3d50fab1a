// Strings from bundles, certificates, tokens and registries end up in messages a terminal
// shows. Control characters (C0, DEL, C1: cursor moves, colours, carriage returns) and format
// characters (bidi overrides and isolates, zero-width marks, tag characters) would let such a
// string rewrite or reorder what the user reads, so they are shown as \uXXXX escapes instead:
// readable, and still valid inside a JSON string.
// Built on first use: V8 parses a pattern when it creates it, and these Unicode classes cost a
// cold start about 0.3 ms; printable ASCII (and line breaks), most output, is tested without them.
let unicodeClasses: { unprintable: RegExp; unprintableButNewline: RegExp; anyUnprintable: RegExp } | undefined;
const classes = () =>
  (unicodeClasses ??= {
    unprintable: /[\p{Cc}\p{Cf}\u2028\u2029]/gu,
    unprintableButNewline: /[^\P{Cc}\n]|[\p{Cf}\u2028\u2029]/gu,
    anyUnprintable: /[\p{Cc}\p{Cf}\u2028\u2029]/u,
  });
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const PLAIN_ASCII_LINES = /^[\x20-\x7e\n]*$/;

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
  const value = String(text);
  if ((options.keepNewlines ? PLAIN_ASCII_LINES : PLAIN_ASCII).test(value)) return value;
  return value.replace(options.keepNewlines ? classes().unprintableButNewline : classes().unprintable, escape);
}

/** True when `text` holds no control or format character (a value safe to print as it is). */
export function isPrintable(text: string): boolean {
  return PLAIN_ASCII.test(text) || !classes().anyUnprintable.test(text);
}
