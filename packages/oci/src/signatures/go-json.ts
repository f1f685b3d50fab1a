// cosign writes its payloads with Go's encoding/json, which escapes <, > and & (and the
// two JavaScript line separators) inside strings. A payload Sigil signs should be the same
// bytes cosign would have signed for the same image and annotations.
const GO_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

export function goJsonString(value: string): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
}

/** A Go map[string]string: keys in byte order, compact. */
export function goJsonStringMap(map: Readonly<Record<string, string>>): string {
  const keys = Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((key) => `${goJsonString(key)}:${goJsonString(map[key]!)}`).join(',')}}`;
}
