// Flag values read as Go's strconv, time and encoding/csv read them (pflag's Set methods).

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool; undefined when the text is none of its spellings. */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return undefined;
}

/** strconv.ParseInt(text, 0, 64) within JavaScript's safe integers: decimal, 0x, 0o, 0b, leading 0 octal, underscores after a prefix. */
export function parseGoInt(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return undefined;
  let digits = m[2]!;
  const hasPrefix = /^0[xXoObB]/.test(digits) || (digits.length > 1 && digits.startsWith('0'));
  if (digits.includes('_') && (!hasPrefix || /__|_$|^0[xXoObB]?_?$/.test(digits))) return undefined;
  digits = digits.replace(/_/g, '');
  let value: number;
  if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (/^0[oO]/.test(digits)) value = parseInt(digits.slice(2), 8);
  else if (/^0[bB]/.test(digits)) value = parseInt(digits.slice(2), 2);
  else if (digits.length > 1 && digits.startsWith('0')) value = parseInt(digits.slice(1), 8);
  else value = parseInt(digits, 10);
  if (!Number.isSafeInteger(value)) return undefined;
  return m[1] === '-' ? -value : value;
}

const UNITS_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's longest duration, 2^63-1 ns (about 292 years), in milliseconds: ParseDuration refuses more. */
const MAX_GO_DURATION_MS = 9_223_372_036_854.775;

/** time.ParseDuration, in milliseconds: "90s", "1h30m", "1.5h", "300ms", "0". */
export function parseGoDuration(text: string): number | undefined {
  // [\s\S]: a value with a line break is read whole (and refused), not skipped by `.`.
  const m = /^([+-]?)([\s\S]*)$/.exec(text)!;
  const body = m[2]!;
  if (body === '0') return 0;
  if (body === '') return undefined;
  let total = 0;
  const part = /(\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;
  let at = 0;
  while (at < body.length) {
    part.lastIndex = at;
    const p = part.exec(body);
    if (!p) return undefined;
    total += Number(p[1]) * UNITS_MS[p[2]!]!;
    at = part.lastIndex;
  }
  if (!(total <= MAX_GO_DURATION_MS)) return undefined;
  return m[1] === '-' ? -total : total;
}

/** A duration as Go prints one: 3m0s, 1h30m0s, 500ms. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${hours ? `${hours}h` : ''}${hours || minutes ? `${minutes}m` : ''}${seconds}s`;
}

/** One CSV record (encoding/csv, as pflag's StringSlice reads a value): commas split, double quotes group. */
export function parseCsvRecord(text: string): string[] | undefined {
  if (text === '') return [];
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',') return undefined;
    } else {
      const comma = text.indexOf(',', i);
      field = text.slice(i, comma === -1 ? text.length : comma);
      if (field.includes('"')) return undefined;
      i = comma === -1 ? text.length : comma;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}
