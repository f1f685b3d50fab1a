import { goJsonString } from '@sigil/oci';

/** A Go struct: fields in declaration order (a plain object is a Go map: keys sorted). */
export class GoStruct {
  constructor(readonly fields: ReadonlyArray<readonly [string, GoValue]>) {}
}

export type GoValue = string | number | bigint | boolean | null | GoStruct | GoValue[] | { [key: string]: GoValue };

/** encoding/json's Marshal: compact, HTML-escaped strings, map keys in byte order. */
export function goJson(value: GoValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof GoStruct) return `{${value.fields.map(([k, v]) => `${goJsonString(k)}:${goJson(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${goJsonString(k)}:${goJson(value[k]!)}`).join(',')}}`;
}
