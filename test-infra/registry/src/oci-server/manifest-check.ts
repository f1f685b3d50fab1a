import { DistributionError } from './distribution-error.js';
import { quote } from './endpoints.js';
import { isSha256Digest } from '../grammar.js';
import { IMAGE_MANIFEST_TYPES, INDEX_TYPES } from '../media-types.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/** What the registry needs from a manifest: what it points at, and what the referrers API lists. */
export interface ManifestFacts {
  mediaType: string;
  /** config and layers: must be blobs of the repository. */
  blobs: Descriptor[];
  /** an index's manifests: must be manifests of the repository. */
  manifests: Descriptor[];
  subject: string | undefined;
  /** The manifest's artifactType, else (image manifests) its config media type. */
  artifactType: string | undefined;
  annotations: Record<string, string> | undefined;
}

type Json = Record<string, unknown>;

/** Reads a pushed manifest, refusing (400 MANIFEST_INVALID) anything a registry should not store. */
export function checkManifest(bytes: Buffer, contentType: string | undefined): ManifestFacts {
  const body = parseObject(bytes);
  if (body.schemaVersion !== 2) invalid(`schemaVersion: expected 2, found ${describe(body.schemaVersion)}`);
  const declared = contentType?.split(';')[0]!.trim().toLowerCase() || undefined;
  const inBody = body.mediaType;
  if (inBody !== undefined && typeof inBody !== 'string') invalid(`mediaType: expected a string, found ${describe(inBody)}`);
  if (inBody !== undefined && declared !== undefined && inBody !== declared) {
    invalid(`mediaType: the body says ${quote(inBody)}, the Content-Type says ${quote(declared)}`);
  }
  const mediaType = inBody ?? declared;
  if (mediaType === undefined) invalid('mediaType: neither the body nor the Content-Type names one');

  const facts: ManifestFacts = {
    mediaType,
    blobs: [],
    manifests: [],
    subject: body.subject === undefined ? undefined : descriptor(body.subject, 'subject').digest,
    artifactType: optionalString(body.artifactType, 'artifactType'),
    annotations: annotations(body.annotations, 'annotations'),
  };
  if (IMAGE_MANIFEST_TYPES.includes(mediaType)) {
    const config = descriptor(body.config, 'config');
    facts.blobs = [config, ...list(body.layers, 'layers')];
    facts.artifactType ??= config.mediaType;
  } else if (INDEX_TYPES.includes(mediaType)) {
    facts.manifests = list(body.manifests, 'manifests');
  } else {
    invalid(`mediaType: expected an OCI or Docker v2 manifest or index, found ${quote(mediaType)}`);
  }
  return facts;
}

function parseObject(bytes: Buffer): Json {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    invalid('body: expected UTF-8 JSON');
  }
  if (!isObject(value)) invalid(`body: expected a JSON object, found ${describe(value)}`);
  return value;
}

function list(value: unknown, where: string): Descriptor[] {
  if (!Array.isArray(value)) invalid(`${where}: expected an array, found ${describe(value)}`);
  return value.map((item, i) => descriptor(item, `${where}[${i}]`));
}

function descriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) invalid(`${where}: expected a descriptor object, found ${describe(value)}`);
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string' || mediaType === '') invalid(`${where}.mediaType: expected a string, found ${describe(mediaType)}`);
  if (typeof digest !== 'string' || !isSha256Digest(digest)) invalid(`${where}.digest: expected sha256:<hex>, found ${describe(digest)}`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) invalid(`${where}.size: expected a non-negative integer, found ${describe(size)}`);
  optionalString(value.artifactType, `${where}.artifactType`);
  annotations(value.annotations, `${where}.annotations`);
  return { mediaType, digest, size };
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  invalid(`${where}: expected a string, found ${describe(value)}`);
}

function annotations(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    invalid(`${where}: expected an object of strings, found ${describe(value)}`);
  }
  return value as Record<string, string>;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null || Array.isArray(value)) return value === null ? 'null' : 'an array';
  if (typeof value === 'string') return quote(value);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}

function invalid(message: string): never {
  throw new DistributionError(400, 'MANIFEST_INVALID', message);
}
