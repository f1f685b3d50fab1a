import { OciError } from './errors.js';
import { isObject, jsonOf } from './json-bytes.js';
import { shown } from './shown.js';

/** Manifest or index bytes as a JSON object with `schemaVersion` 2, and its `mediaType` field when it has one. */
export function parseManifestJson(bytes: Uint8Array, what: string): { json: Record<string, unknown>; mediaType?: string } {
  const read = jsonOf(bytes, 'OCI manifest');
  if ('refused' in read) throw invalid(what, read.refused, read.cause);
  const { value } = read;
  if (!isObject(value)) throw invalid(what, `expected a JSON object, found ${shown(value)}`);
  const json = value;
  if (json.schemaVersion !== 2) throw invalid(what, `expected schemaVersion 2, found ${shown(json.schemaVersion)}`);
  const { mediaType } = json;
  if (mediaType === undefined) return { json };
  if (typeof mediaType !== 'string') throw invalid(what, `expected mediaType to be a string, found ${shown(mediaType)}`);
  return { json, mediaType };
}

function invalid(what: string, reason: string, cause?: unknown): OciError {
  return new OciError('OCI_MANIFEST_INVALID', `${what}: ${reason}`, { cause });
}
