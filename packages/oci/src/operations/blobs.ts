import type { HttpResponse } from '@sigil/http-client';
import type { Descriptor } from '../descriptor.js';
import { checkContent, checkDigest, digestOf } from '../digest.js';
import { OciError } from '../errors.js';
import type { ImageReference } from '../reference.js';
import { resolveServerUrl } from '../transport/registry-url.js';
import { apiUrl, checkBytes, scopeOf, type ClientContext } from './context.js';
import { checkAnsweredDigest } from './manifests.js';

export interface PushBlobOptions {
  /** Upload in PATCH chunks of this many bytes; default one monolithic PUT. */
  chunkSize?: number;
  /** The descriptor's media type; default application/octet-stream. */
  mediaType?: string;
}

const OCTET_STREAM = 'application/octet-stream';
const SMALL_ANSWER = 64 * 1024;

export async function blobExists(ctx: ClientContext, ref: ImageReference, digest: string): Promise<boolean> {
  checkDigest(digest, 'blob digest');
  return blobPresent(ctx, ref, digest, false);
}

/** The blob's bytes, read into memory up to the client's maxBlobBytes and checked against the digest. */
export async function getBlob(ctx: ClientContext, ref: ImageReference, digest: string): Promise<Uint8Array> {
  checkDigest(digest, 'blob digest');
  const what = `blob GET ${ref.name}@${digest}`;
  const response = await ctx.transport.send({ method: 'GET', url: apiUrl(ctx, ref, `blobs/${digest}`), scope: scopeOf(ref, false), maxBytes: ctx.maxBlobBytes, what });
  if (response.status !== 200) throw ctx.transport.fail(response, what);
  checkContent(response.body, digest, what);
  return response.body;
}

/**
 * Uploads a blob unless the registry already has it: POST for an upload session, then one
 * PUT with the bytes, or PATCHes of `chunkSize` with Content-Range and a closing PUT. Each
 * answer's Location (absolute or relative) is where the next request goes.
 */
export async function pushBlob(ctx: ClientContext, ref: ImageReference, bytes: Uint8Array, options: PushBlobOptions = {}): Promise<Descriptor> {
  checkBytes(bytes, 'blob');
  const chunkSize = checkChunkSize(options.chunkSize);
  const mediaType = options.mediaType ?? OCTET_STREAM;
  if (typeof mediaType !== 'string' || mediaType === '') throw new OciError('OCI_INPUT_INVALID', 'blob mediaType: expected a non-empty string');
  const digest = digestOf(bytes);
  const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
  if (await blobPresent(ctx, ref, digest, true)) return descriptor;

  const what = `blob upload ${ref.name}@${digest}`;
  const scope = scopeOf(ref, true);
  const started = await ctx.transport.send({ method: 'POST', url: apiUrl(ctx, ref, 'blobs/uploads/'), scope, maxBytes: SMALL_ANSWER, what: `${what} (start)` });
  if (started.status !== 202) throw ctx.transport.fail(started, `${what} (start)`);
  let location = uploadLocation(started, apiUrl(ctx, ref, 'blobs/uploads/'), `${what} (start)`);

  let offset = 0;
  if (chunkSize !== undefined && bytes.length > chunkSize) {
    for (; offset < bytes.length; offset += chunkSize) {
      const chunk = bytes.subarray(offset, offset + chunkSize);
      const step = `${what} (bytes ${offset}-${offset + chunk.length - 1})`;
      const patched = await ctx.transport.send({
        method: 'PATCH',
        url: location,
        scope,
        headers: { 'content-type': OCTET_STREAM, 'content-range': `${offset}-${offset + chunk.length - 1}` },
        body: chunk,
        maxBytes: SMALL_ANSWER,
        what: step,
      });
      if (patched.status !== 202) throw ctx.transport.fail(patched, step);
      location = uploadLocation(patched, location, step);
    }
  }
  const rest = bytes.subarray(offset);
  const finished = await ctx.transport.send({
    method: 'PUT',
    url: withDigest(location, digest),
    scope,
    headers: { 'content-type': OCTET_STREAM },
    body: rest,
    maxBytes: SMALL_ANSWER,
    what: `${what} (commit)`,
  });
  if (finished.status !== 201) throw ctx.transport.fail(finished, `${what} (commit)`);
  checkAnsweredDigest(finished, bytes, `${what} (commit)`);
  return descriptor;
}

async function blobPresent(ctx: ClientContext, ref: ImageReference, digest: string, push: boolean): Promise<boolean> {
  const what = `blob HEAD ${ref.name}@${digest}`;
  const response = await ctx.transport.send({ method: 'HEAD', url: apiUrl(ctx, ref, `blobs/${digest}`), scope: scopeOf(ref, push), maxBytes: 0, what });
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw ctx.transport.fail(response, what);
}

function uploadLocation(response: HttpResponse<Uint8Array>, base: URL, what: string): URL {
  const location = response.headers.get('location');
  if (location === null || location.trim() === '') throw new OciError('OCI_RESPONSE_INVALID', `${what}: expected a Location for the upload, found none`);
  return resolveServerUrl(location.trim(), base, `${what}: Location`);
}

/** The upload URL with `digest=` added: after `&` when it already has a query (registry 2.8's `_state`), as it is otherwise. */
export function withDigest(location: URL, digest: string): URL {
  const url = new URL(location.href);
  const param = `digest=${encodeURIComponent(digest)}`;
  url.search = url.search === '' || url.search === '?' ? `?${param}` : `${url.search}&${param}`;
  return url;
}

function checkChunkSize(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new OciError('OCI_INPUT_INVALID', `chunkSize: expected a positive integer, found ${typeof value === 'number' ? value : typeof value}`);
  }
  return value;
}

