import { typeOf } from './base64.js';
import { EncodingError } from './errors.js';
import { checkJsonShape, type JsonShapeLimits } from './json-shape.js';

/**
 * JSON.parse of text from outside, its nesting and size bounded first (checkJsonShape), with a
 * typed error that names what was being read.
 */
export function parseJson(text: string, what = 'JSON', limits?: JsonShapeLimits): unknown {
  if (typeof text !== 'string') {
    throw new EncodingError('ENCODING_INVALID_JSON', `${what}: expected JSON text, found ${typeOf(text)}`);
  }
  checkJsonShape(text, what, limits);
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = err instanceof SyntaxError ? err.message : 'unparseable';
    throw new EncodingError('ENCODING_INVALID_JSON', `${what}: not valid JSON (${reason})`, { cause: err });
  }
}

/**
 * RFC 8785 (JCS) canonical JSON: object keys sorted by UTF-16 code units, no white space,
 * ECMAScript number and string serialisation. Rekor bodies and SET payloads are hashed in this form.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new EncodingError('ENCODING_UNSUPPORTED_JSON_VALUE', `canonical JSON: ${value} has no JSON form`);
      }
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const entries = Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
      return `{${entries.join(',')}}`;
    }
    default:
      throw new EncodingError('ENCODING_UNSUPPORTED_JSON_VALUE', `canonical JSON: ${typeof value} has no JSON form`);
  }
}
