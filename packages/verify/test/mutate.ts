import { decodeBase64, encodeBase64 } from '@sigil/encoding';

export type Json = Record<string, any>;

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Flips one bit of the base64 bytes at `path` (dot path with numeric array indices). */
export function flipBase64(json: Json, path: string, byteIndex: (length: number) => number = (n) => Math.floor(n / 2)): Json {
  const copy = clone(json);
  const { parent, key } = locate(copy, path);
  const bytes = decodeBase64(parent[key]);
  const flipped = bytes.slice();
  flipped[byteIndex(bytes.length)]! ^= 0x01;
  parent[key] = encodeBase64(flipped);
  return copy;
}

export function setAt(json: Json, path: string, value: unknown): Json {
  const copy = clone(json);
  const { parent, key } = locate(copy, path);
  if (value === undefined) delete parent[key];
  else parent[key] = value;
  return copy;
}

export function getAt(json: Json, path: string): any {
  const { parent, key } = locate(json, path);
  return parent[key];
}

function locate(json: Json, path: string): { parent: any; key: string } {
  const parts = path.split('.');
  let node: any = json;
  for (const part of parts.slice(0, -1)) node = node[part];
  return { parent: node, key: parts[parts.length - 1]! };
}
