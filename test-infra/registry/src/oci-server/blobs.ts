import type { RequestContext } from './context.js';
import { DistributionError } from './distribution-error.js';
import { requireDigest } from './references.js';
import { sendBytes, sendEmpty } from './respond.js';

export function getBlob({ req, res, endpoint, storage }: RequestContext<'blob'>): void {
  const digest = requireDigest(endpoint.digest, 'blob digest');
  const blob = storage.find(endpoint.name)?.blobs.get(digest);
  if (!blob) throw blobUnknown(digest);
  sendBytes(req, res, 200, blob, { 'content-type': 'application/octet-stream', 'docker-content-digest': digest, etag: `"${digest}"` });
}

export function deleteBlob({ res, endpoint, storage }: RequestContext<'blob'>): void {
  const digest = requireDigest(endpoint.digest, 'blob digest');
  if (!storage.find(endpoint.name)?.blobs.delete(digest)) throw blobUnknown(digest);
  sendEmpty(res, 202, {});
}

export function blobUnknown(digest: string): DistributionError {
  return new DistributionError(404, 'BLOB_UNKNOWN', 'blob unknown to registry', {}, digest);
}
