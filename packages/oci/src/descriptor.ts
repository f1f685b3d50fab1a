import { checkDigest } from './digest.js';
import { OciError } from './errors.js';
import { shown } from './shown.js';

/** An OCI content descriptor, as listed in indexes and referrers answers. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

const MAX_MEDIA_TYPE = 255;
const MAX_ANNOTATIONS = 256;
const MAX_ANNOTATION_BYTES = 64 * 1024;

/**
 * A descriptor read strictly from untrusted JSON: `mediaType`, `digest` (sha256/sha512),
 * `size` (a non-negative safe integer), optional `artifactType` and string `annotations`;
 * other fields are dropped. `path` names it in errors (`$.manifests[3]`).
 */
export function parseDescriptor(value: unknown, path: string): Descriptor {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, `expected an object, found ${shown(value)}`);
  const { mediaType, digest, size, artifactType, annotations } = value as Record<string, unknown>;
  const descriptor: Descriptor = {
    mediaType: mediaTypeAt(mediaType, `${path}.mediaType`),
    digest: checkDigest(digest, `${path}.digest`, 'OCI_MANIFEST_INVALID'),
    size: sizeAt(size, `${path}.size`),
  };
  if (artifactType !== undefined) descriptor.artifactType = mediaTypeAt(artifactType, `${path}.artifactType`);
  if (annotations !== undefined) descriptor.annotations = parseAnnotations(annotations, `${path}.annotations`);
  return descriptor;
}

export function parseAnnotations(value: unknown, path: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, `expected an object of strings, found ${shown(value)}`);
  const entries = Object.entries(value);
  if (entries.length > MAX_ANNOTATIONS) throw invalid(path, `expected at most ${MAX_ANNOTATIONS} annotations, found ${entries.length}`);
  const out: Record<string, string> = {};
  let total = 0;
  for (const [key, item] of entries) {
    if (typeof item !== 'string') throw invalid(`${path}[${JSON.stringify(key.slice(0, 100))}]`, `expected a string, found ${shown(item)}`);
    total += key.length + item.length;
    out[key] = item;
  }
  if (total > MAX_ANNOTATION_BYTES) throw invalid(path, `expected at most ${MAX_ANNOTATION_BYTES} characters of annotations, found ${total}`);
  return out;
}

function mediaTypeAt(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_MEDIA_TYPE || !/^[\x21-\x7e]+$/.test(value)) {
    throw invalid(path, `expected a media type, found ${shown(value)}`);
  }
  return value;
}

function sizeAt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(path, `expected a non-negative integer below 2^53, found ${shown(value)}`);
  return value;
}

function invalid(path: string, reason: string): OciError {
  return new OciError('OCI_MANIFEST_INVALID', `${path}: ${reason}`, { details: { path } });
}
