import type { HttpResponse } from '@sigil/http-client';
import type { Descriptor } from '../descriptor.js';
import { checkContent, checkDigest, digestOf, isDigest } from '../digest.js';
import { OciError } from '../errors.js';
import { parseManifestJson } from '../manifest-json.js';
import { MANIFEST_MEDIA_TYPES, mediaTypeOf } from '../media-types.js';
import { checkTag, type ImageReference } from '../reference.js';
import { apiUrl, checkBytes, scopeOf, type ClientContext } from './context.js';

export interface Manifest {
  /** The media type, digest (of the bytes, checked) and size. */
  descriptor: Descriptor;
  /** The exact bytes: what digests and signatures cover. */
  bytes: Uint8Array;
  json: Record<string, unknown>;
}

export interface PutManifestResult {
  digest: string;
  descriptor: Descriptor;
  /** The registry's `OCI-Subject` header: it tracks the referrer itself (OCI 1.1 referrers API). */
  ociSubject?: string;
}

/**
 * The manifest's descriptor from a HEAD (the Accept list of OCI and Docker manifest and
 * index types), or from a GET when the HEAD lacks Docker-Content-Digest, a media type or a
 * size. A reference by digest must get that digest back.
 */
export async function resolveDigest(ctx: ClientContext, ref: ImageReference): Promise<Descriptor> {
  const what = `manifest HEAD ${ref}`;
  const response = await ctx.transport.send({
    method: 'HEAD',
    url: manifestUrl(ctx, ref),
    scope: scopeOf(ref, false),
    headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
    maxBytes: 0,
    what,
  });
  if (response.status !== 200) throw ctx.transport.fail(response, what);
  const digest = response.headers.get('docker-content-digest')?.trim();
  const mediaType = mediaTypeOf(response.headers.get('content-type'));
  const length = response.headers.get('content-length')?.trim();
  const usable = isDigest(digest) && mediaType !== undefined && MANIFEST_MEDIA_TYPES.includes(mediaType) && length !== undefined && /^\d{1,15}$/.test(length);
  // By digest, a HEAD that names another algorithm is settled by the content itself.
  if (!usable || (ref.digest !== undefined && algorithmOf(digest) !== algorithmOf(ref.digest))) return (await getManifest(ctx, ref)).descriptor;
  if (ref.digest !== undefined && digest !== ref.digest) throw mismatch(what, ref.digest, digest);
  const size = Number(length);
  if (size > ctx.maxManifestBytes) throw tooLarge(what, ctx.maxManifestBytes, size);
  return { mediaType, digest, size };
}

/** The manifest's bytes, checked against the reference's digest and the registry's Docker-Content-Digest. */
export async function getManifest(ctx: ClientContext, ref: ImageReference, accept: readonly string[] = MANIFEST_MEDIA_TYPES): Promise<Manifest> {
  return (await fetchManifest(ctx, ref, accept)).manifest!;
}

export interface FetchedManifest {
  /** Undefined only for a 404 with `missingOk`. */
  manifest: Manifest | undefined;
  etag?: string;
}

/** getManifest with the answer's ETag, for conditional updates, and a 404 as "none" when `missingOk`. */
export async function fetchManifest(
  ctx: ClientContext,
  ref: ImageReference,
  accept: readonly string[],
  options: { missingOk?: boolean; push?: boolean } = {},
): Promise<FetchedManifest> {
  const what = `manifest GET ${ref}`;
  const response = await ctx.transport.send({
    method: 'GET',
    url: manifestUrl(ctx, ref),
    scope: scopeOf(ref, options.push ?? false),
    headers: { accept: accept.join(', ') },
    maxBytes: ctx.maxManifestBytes,
    what,
  });
  if (response.status === 404 && options.missingOk) return { manifest: undefined };
  if (response.status !== 200) throw ctx.transport.fail(response, what);
  const manifest = readManifest(response, ref, accept, what);
  const etag = response.headers.get('etag') ?? undefined;
  return etag === undefined ? { manifest } : { manifest, etag };
}

/** PUT a manifest under a tag or by its digest; the registry's digest must be ours. */
export async function putManifest(
  ctx: ClientContext,
  ref: ImageReference,
  tagOrDigest: string,
  bytes: Uint8Array,
  mediaType: string,
  headers: Record<string, string> = {},
): Promise<PutManifestResult> {
  checkBytes(bytes, 'manifest');
  if (bytes.length > ctx.maxManifestBytes) throw tooLarge(`manifest PUT ${ref.name}`, ctx.maxManifestBytes, bytes.length);
  if (typeof mediaType !== 'string' || !MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    throw new OciError('OCI_MEDIA_TYPE_UNSUPPORTED', `manifest PUT ${ref.name}: expected a media type of ${MANIFEST_MEDIA_TYPES.join(', ')}, found ${JSON.stringify(String(mediaType).slice(0, 100))}`);
  }
  const byDigest = typeof tagOrDigest === 'string' && tagOrDigest.includes(':');
  const target = byDigest ? checkDigest(tagOrDigest, 'manifest digest') : checkTag(tagOrDigest, 'manifest tag');
  const digest = digestOf(bytes, byDigest ? target : undefined);
  if (byDigest && digest !== target) throw mismatch(`manifest PUT ${ref.name}@${target}`, target, digest);
  const what = `manifest PUT ${ref.name}${byDigest ? '@' : ':'}${target}`;
  const parsed = parseManifestJson(bytes, what);
  if (parsed.mediaType !== undefined && parsed.mediaType !== mediaType) {
    throw new OciError('OCI_MANIFEST_INVALID', `${what}: expected the manifest's mediaType to be ${mediaType}, found ${JSON.stringify(parsed.mediaType.slice(0, 100))}`);
  }
  const response = await ctx.transport.send({
    method: 'PUT',
    url: apiUrl(ctx, ref, `manifests/${target}`),
    scope: scopeOf(ref, true),
    headers: { ...headers, 'content-type': mediaType },
    body: bytes,
    maxBytes: 64 * 1024,
    what,
  });
  if (response.status < 200 || response.status > 299) throw ctx.transport.fail(response, what);
  checkAnsweredDigest(response, bytes, what);
  const subject = response.headers.get('oci-subject')?.trim();
  const result: PutManifestResult = { digest, descriptor: { mediaType, digest, size: bytes.length } };
  if (isDigest(subject)) result.ociSubject = subject;
  return result;
}

/** A Docker-Content-Digest, when sent, must be the digest of the bytes (in its own algorithm). */
export function checkAnsweredDigest(response: HttpResponse<Uint8Array>, bytes: Uint8Array, what: string): void {
  const answered = response.headers.get('docker-content-digest')?.trim();
  if (answered === undefined || answered === '') return;
  checkContent(bytes, checkDigest(answered, `${what}: Docker-Content-Digest`, 'OCI_RESPONSE_INVALID'), `${what}: Docker-Content-Digest`);
}

function readManifest(response: HttpResponse<Uint8Array>, ref: ImageReference, accept: readonly string[], what: string): Manifest {
  const bytes = response.body;
  if (ref.digest !== undefined) checkContent(bytes, ref.digest, what);
  checkAnsweredDigest(response, bytes, what);
  const { json, mediaType: declared } = parseManifestJson(bytes, what);
  const contentType = mediaTypeOf(response.headers.get('content-type'));
  const typed = contentType !== undefined && MANIFEST_MEDIA_TYPES.includes(contentType) ? contentType : undefined;
  if (typed !== undefined && declared !== undefined && typed !== declared) {
    throw new OciError('OCI_MANIFEST_INVALID', `${what}: expected the mediaType field to match the Content-Type ${typed}, found ${JSON.stringify(declared.slice(0, 100))}`);
  }
  const mediaType = typed ?? declared;
  if (mediaType === undefined || !accept.includes(mediaType)) {
    throw new OciError('OCI_MEDIA_TYPE_UNSUPPORTED', `${what}: expected a manifest of ${accept.join(', ')}, found ${mediaType === undefined ? 'no media type' : JSON.stringify(mediaType.slice(0, 100))}`, {
      details: { expected: [...accept], found: mediaType ?? null },
    });
  }
  const digest = ref.digest ?? digestOf(bytes);
  return { descriptor: { mediaType, digest, size: bytes.length }, bytes, json };
}

function manifestUrl(ctx: ClientContext, ref: ImageReference): URL {
  return apiUrl(ctx, ref, `manifests/${ref.digest ?? ref.tag ?? 'latest'}`);
}

function algorithmOf(digest: string): string {
  return digest.slice(0, digest.indexOf(':'));
}

function mismatch(what: string, expected: string, actual: string): OciError {
  return new OciError('OCI_DIGEST_MISMATCH', `${what}: expected digest ${expected}, found ${actual}`, { details: { expected, actual } });
}

export function tooLarge(what: string, limit: number, found: number): OciError {
  return new OciError('OCI_TOO_LARGE', `${what}: expected at most ${limit} bytes, found ${found}`, { details: { limit, found } });
}
