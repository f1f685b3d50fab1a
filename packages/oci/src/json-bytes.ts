/**
 * Bytes as UTF-8 JSON, or undefined when they are not (JSON itself has no undefined). The
 * parser's message is dropped: it would quote bytes a hostile server chose.
 */
export function jsonOf(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
