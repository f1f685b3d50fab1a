// Readers for untrusted JSON (predicates are `unknown` after parsing): a field of the wrong
// type reads as absent, and only own properties count, so "__proto__" or "constructor"
// never reach Object.prototype.

export type JsonObject = Readonly<Record<string, unknown>>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function own(o: JsonObject | undefined, key: string): unknown {
  return o !== undefined && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

export function objectField(o: JsonObject | undefined, key: string): JsonObject | undefined {
  return asObject(own(o, key));
}

/** A non-empty string, or undefined. */
export function stringField(o: JsonObject | undefined, key: string): string | undefined {
  const value = own(o, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function arrayField(o: JsonObject | undefined, key: string): readonly unknown[] | undefined {
  const value = own(o, key);
  return Array.isArray(value) ? value : undefined;
}

/** A string, or a whole number written as one (GitLab writes job ids either way). */
export function idField(o: JsonObject | undefined, key: string): string | undefined {
  const value = own(o, key);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}
