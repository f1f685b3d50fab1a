import { JSON_DOCUMENT_LIMITS, jsonShapeRefusal, parseJson, utf8Decode, utf8Encode } from '@sigil/encoding';
import { ImageSignatureError } from './errors.js';
import { goJsonString, goJsonStringMap } from './go-json.js';

/** The `critical.type` of every cosign image signature payload. */
export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';

export interface SimpleSigningClaims {
  /** The repository the image was signed in (no tag, no digest); informative only. */
  dockerReference: string;
  /** The image manifest digest the signature is about. */
  manifestDigest: string;
  /** cosign's `-a KEY=VALUE` annotations; empty when there were none. */
  annotations: Record<string, string>;
}

const MAX_PAYLOAD_BYTES = 1024 * 1024;

/** The payload cosign 2 signs: compact Go JSON, in cosign's key order, `optional: null` without annotations. */
export function simpleSigningPayload(claims: SimpleSigningClaims): Uint8Array {
  const optional = Object.keys(claims.annotations).length > 0 ? goJsonStringMap(claims.annotations) : 'null';
  return utf8Encode(
    `{"critical":{"identity":{"docker-reference":${goJsonString(claims.dockerReference)}},` +
      `"image":{"docker-manifest-digest":${goJsonString(claims.manifestDigest)}},` +
      `"type":${goJsonString(SIMPLE_SIGNING_TYPE)}},"optional":${optional}}`,
  );
}

/**
 * Reads a stored payload (the bytes that were signed; never re-serialised). Only the claims a
 * verifier checks are required: the type and the manifest digest; annotations are strings.
 */
export function parseSimpleSigningPayload(bytes: Uint8Array): SimpleSigningClaims {
  if (bytes.length > MAX_PAYLOAD_BYTES) invalid(`expected at most ${MAX_PAYLOAD_BYTES} bytes, found ${bytes.length}`);
  let json: unknown;
  try {
    json = parseJson(utf8Decode(bytes, 'simple-signing payload'), 'simple-signing payload', JSON_DOCUMENT_LIMITS['simple signing payload']);
  } catch (err) {
    invalid(jsonShapeRefusal(err)?.message ?? 'expected JSON, found something else', err);
  }
  const critical = objectAt(json, 'critical');
  const type = critical?.type;
  if (type !== SIMPLE_SIGNING_TYPE) invalid(`critical.type: expected ${JSON.stringify(SIMPLE_SIGNING_TYPE)}, found ${describe(type)}`);
  const digest = objectAt(critical, 'image')?.['docker-manifest-digest'];
  if (typeof digest !== 'string') invalid(`critical.image.docker-manifest-digest: expected a digest string, found ${describe(digest)}`);
  const reference = objectAt(critical, 'identity')?.['docker-reference'];
  return { dockerReference: typeof reference === 'string' ? reference : '', manifestDigest: digest, annotations: readAnnotations(json) };
}

function readAnnotations(json: unknown): Record<string, string> {
  const optional = (json as Record<string, unknown>).optional;
  if (optional === null || optional === undefined) return {};
  if (typeof optional !== 'object' || Array.isArray(optional)) invalid(`optional: expected an object or null, found ${describe(optional)}`);
  // Other clients may put non-string values here; only string annotations can match `-a`.
  return Object.fromEntries(Object.entries(optional).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const child = (value as Record<string, unknown>)[key];
  return typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Record<string, unknown>) : undefined;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
}

function invalid(message: string, cause?: unknown): never {
  throw new ImageSignatureError('IMAGE_PAYLOAD_INVALID', `simple-signing payload: ${message}`, { cause });
}
