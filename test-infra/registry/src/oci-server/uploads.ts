import { randomUUID } from 'node:crypto';
import type { RequestContext } from './context.js';
import { DistributionError } from './distribution-error.js';
import { readBody } from './body.js';
import { quote } from './endpoints.js';
import { requireDigest } from './references.js';
import { sendEmpty } from './respond.js';
import type { Upload } from './storage.js';
import { isRepositoryName } from '../grammar.js';
import { sha256Digest } from '../digest.js';

/**
 * POST /v2/<name>/blobs/uploads/: a cross-repository mount, a monolithic upload (`?digest=` and
 * the blob as body, 201), or a new session (202 with a relative Location: registry 2.8 gives
 * absolute ones, so clients meet both).
 */
export async function startUpload(context: RequestContext<'uploads'>): Promise<void> {
  const { req, res, url, endpoint, storage, maxBodyBytes } = context;
  const mount = url.searchParams.get('mount');
  const from = url.searchParams.get('from');
  if (mount !== null) {
    const digest = requireDigest(mount, 'mount');
    const blob = from !== null && isRepositoryName(from) ? storage.find(from)?.blobs.get(digest) : undefined;
    if (blob) {
      storage.open(endpoint.name).blobs.set(digest, blob);
      sendEmpty(res, 201, blobCreated(endpoint.name, digest));
      return;
    }
    // The spec's answer to a mount that cannot be done: an ordinary upload session.
  }
  const body = await readBody(req, maxBodyBytes);
  const digest = url.searchParams.get('digest');
  if (digest !== null) {
    storeBlob(context, requireDigest(digest, 'digest parameter'), [body]);
    return;
  }
  if (body.length > 0) {
    throw new DistributionError(400, 'BLOB_UPLOAD_INVALID', 'POST with a body: expected ?digest= (monolithic upload), found none');
  }
  const upload: Upload = { id: randomUUID(), name: endpoint.name, chunks: [], size: 0 };
  storage.uploads.set(upload.id, upload);
  storage.open(endpoint.name);
  sendEmpty(res, 202, session(upload));
}

/** PATCH: one chunk; a Content-Range must start where the upload stands and span the body (else 416). */
export async function patchUpload(context: RequestContext<'upload'>): Promise<void> {
  const upload = findUpload(context);
  const chunk = await readChunk(context, upload);
  upload.chunks.push(chunk);
  upload.size += chunk.length;
  sendEmpty(context.res, 202, session(upload));
}

/** PUT ?digest=: an optional last chunk, then the digest is checked against every byte (400 DIGEST_INVALID). */
export async function finishUpload(context: RequestContext<'upload'>): Promise<void> {
  const upload = findUpload(context);
  const digest = requireDigest(context.url.searchParams.get('digest'), 'digest parameter');
  const chunk = await readChunk(context, upload);
  context.storage.uploads.delete(upload.id);
  storeBlob(context, digest, [...upload.chunks, chunk]);
}

export function uploadStatus(context: RequestContext<'upload'>): void {
  sendEmpty(context.res, 204, session(findUpload(context)));
}

export function cancelUpload(context: RequestContext<'upload'>): void {
  context.storage.uploads.delete(findUpload(context).id);
  sendEmpty(context.res, 204, {});
}

function storeBlob({ res, endpoint, storage }: Pick<RequestContext, 'res' | 'endpoint' | 'storage'>, digest: string, chunks: Buffer[]): void {
  const blob = Buffer.concat(chunks);
  const actual = sha256Digest(blob);
  if (actual !== digest) {
    throw new DistributionError(400, 'DIGEST_INVALID', `blob digest: expected ${digest} (the digest parameter), found ${actual} over ${blob.length} bytes`, {}, { expected: digest, actual });
  }
  storage.open(endpoint.name).blobs.set(digest, blob);
  sendEmpty(res, 201, blobCreated(endpoint.name, digest));
}

function findUpload({ endpoint, storage }: RequestContext<'upload'>): Upload {
  const upload = storage.uploads.get(endpoint.id);
  if (!upload || upload.name !== endpoint.name) {
    throw new DistributionError(404, 'BLOB_UPLOAD_UNKNOWN', `upload ${quote(endpoint.id)}: no such session in ${endpoint.name}`);
  }
  return upload;
}

async function readChunk({ req, maxBodyBytes }: RequestContext<'upload'>, upload: Upload): Promise<Buffer> {
  const chunk = await readBody(req, Math.max(0, maxBodyBytes - upload.size));
  const range = req.headers['content-range'];
  if (range === undefined) return chunk;
  const match = /^(\d+)-(\d+)$/.exec(range);
  const start = match ? Number(match[1]) : NaN;
  const end = match ? Number(match[2]) : NaN;
  if (start !== upload.size || end - start + 1 !== chunk.length) {
    const expected = chunk.length === 0 ? 'no Content-Range for an empty chunk' : `${upload.size}-${upload.size + chunk.length - 1}`;
    throw new DistributionError(416, 'BLOB_UPLOAD_INVALID', `Content-Range: expected ${expected}, found ${quote(range)}`, session(upload));
  }
  return chunk;
}

function session(upload: Upload): Record<string, string> {
  return {
    location: `/v2/${upload.name}/blobs/uploads/${upload.id}`,
    // Registry 2.8's form: the last byte held, with 0-0 for an empty upload.
    range: `0-${Math.max(0, upload.size - 1)}`,
    'docker-upload-uuid': upload.id,
  };
}

function blobCreated(name: string, digest: string): Record<string, string> {
  return { location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest };
}
