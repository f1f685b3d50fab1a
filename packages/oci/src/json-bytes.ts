import { JSON_DOCUMENT_LIMITS, jsonShapeRefusal, parseJson, utf8Decode, type EncodingError, type JsonDocumentKind } from '@sigil/encoding';

/**
 * Bytes read as JSON of a kind: its value, or why they were refused (`[kind: ]expected …, found
 * …`, safe to show: it never quotes the bytes).
 */
export type JsonReading = { value: unknown } | { refused: string; cause?: EncodingError };

/**
 * Bytes as UTF-8 JSON within the limits of its kind. Text over the limits is refused with the
 * shape check's own message (the kind's name and numbers only); for anything else that is not
 * JSON the parser's message is dropped: it would quote bytes a hostile server chose.
 */
export function jsonOf(bytes: Uint8Array, kind: JsonDocumentKind): JsonReading {
  try {
    return { value: parseJson(utf8Decode(bytes, kind), kind, JSON_DOCUMENT_LIMITS[kind]) };
  } catch (err) {
    const overLimits = jsonShapeRefusal(err);
    if (overLimits) return { refused: overLimits.message, cause: overLimits };
    return { refused: `expected UTF-8 JSON, found ${bytes.length} bytes that are not` };
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
