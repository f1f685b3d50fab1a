import { JSON_DOCUMENT_LIMITS, parseJson, type JsonDocumentKind } from '@sigil/encoding';

/**
 * Bytes as UTF-8 JSON within the limits of its kind, or undefined when they are not (JSON
 * itself has no undefined). The parser's message is dropped: it would quote bytes a hostile
 * server chose.
 */
export function jsonOf(bytes: Uint8Array, kind: JsonDocumentKind): unknown {
  try {
    return parseJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes), kind, JSON_DOCUMENT_LIMITS[kind]);
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
