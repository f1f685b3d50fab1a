import type { RequestContext } from './context.js';
import { DistributionError } from './distribution-error.js';
import { readBody } from './body.js';
import { checkManifest, type Descriptor } from './manifest-check.js';
import { parseReference } from './references.js';
import { sendBytes, sendEmpty } from './respond.js';
import type { Repository, StoredManifest } from './storage.js';
import { sha256Digest } from '../digest.js';
import { OCI_INDEX, OCI_MANIFEST } from '../media-types.js';

/** The least a registry must accept (distribution-spec "Pushing Manifests"); larger is refused too. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * PUT /v2/<name>/manifests/<tag|digest>: stores the exact bytes and Content-Type once the body is
 * a manifest, a digest reference matches it and everything it points at is in the repository.
 */
export async function putManifest({ req, res, endpoint, storage, referrersApi, maxBodyBytes }: RequestContext<'manifest'>): Promise<void> {
  const reference = parseReference(endpoint.reference);
  const bytes = await readBody(req, Math.min(maxBodyBytes, MAX_MANIFEST_BYTES));
  const contentType = req.headers['content-type'];
  const facts = checkManifest(bytes, contentType);
  const digest = sha256Digest(bytes);
  if ('digest' in reference && reference.digest !== digest) {
    throw new DistributionError(400, 'DIGEST_INVALID', `manifest digest: expected ${reference.digest} (the reference), found ${digest}`, {}, { expected: reference.digest, actual: digest });
  }
  const repository = storage.find(endpoint.name);
  for (const blob of facts.blobs) checkReferenced(blob, repository?.blobs.get(blob.digest)?.length, 'blob');
  for (const manifest of facts.manifests) checkReferenced(manifest, repository?.manifests.get(manifest.digest)?.bytes.length, 'manifest');

  const stored: StoredManifest = {
    digest,
    bytes,
    contentType: contentType ?? facts.mediaType,
    mediaType: facts.mediaType,
    subject: facts.subject,
    artifactType: facts.artifactType,
    annotations: facts.annotations,
  };
  const target = storage.open(endpoint.name);
  target.manifests.set(digest, stored);
  if ('tag' in reference) target.tags.set(reference.tag, digest);
  sendEmpty(res, 201, {
    location: `/v2/${endpoint.name}/manifests/${digest}`,
    'docker-content-digest': digest,
    ...(facts.subject !== undefined && referrersApi ? { 'oci-subject': facts.subject } : {}),
  });
}

export function getManifest({ req, res, endpoint, storage }: RequestContext<'manifest'>): void {
  const manifest = resolve(storage.find(endpoint.name), endpoint.reference);
  checkAccepted(manifest, req.headers.accept);
  sendBytes(req, res, 200, manifest.bytes, {
    'content-type': manifest.contentType,
    'docker-content-digest': manifest.digest,
    etag: `"${manifest.digest}"`,
  });
}

/** DELETE by digest removes the manifest and its tags; by tag, only the tag. */
export function deleteManifest({ res, endpoint, storage }: RequestContext<'manifest'>): void {
  const repository = storage.find(endpoint.name);
  const manifest = resolve(repository, endpoint.reference);
  const reference = parseReference(endpoint.reference);
  if ('tag' in reference) {
    repository!.tags.delete(reference.tag);
  } else {
    repository!.manifests.delete(manifest.digest);
    for (const [tag, digest] of repository!.tags) if (digest === manifest.digest) repository!.tags.delete(tag);
  }
  sendEmpty(res, 202, {});
}

function resolve(repository: Repository | undefined, text: string): StoredManifest {
  const reference = parseReference(text);
  const digest = 'digest' in reference ? reference.digest : repository?.tags.get(reference.tag);
  const manifest = digest === undefined ? undefined : repository?.manifests.get(digest);
  if (!manifest) throw new DistributionError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', {}, 'digest' in reference ? { digest: reference.digest } : { tag: reference.tag });
  return manifest;
}

/**
 * Registry 2.8 serves an OCI manifest or index only to a client whose Accept names its media type
 * exactly (no wildcards, case-sensitive), and answers others 404; so does this registry, so a
 * client that forgets Accept fails here as it would there.
 */
function checkAccepted(manifest: StoredManifest, accept: string | undefined): void {
  const kind = manifest.mediaType === OCI_MANIFEST ? 'manifest' : manifest.mediaType === OCI_INDEX ? 'index' : undefined;
  if (kind === undefined) return;
  const accepted = (accept ?? '').split(',').map((type) => type.split(';')[0]!.trim());
  if (!accepted.includes(manifest.mediaType)) {
    throw new DistributionError(404, 'MANIFEST_UNKNOWN', `OCI ${kind} found, but accept header does not support OCI ${kind === 'index' ? 'indexes' : 'manifests'}`);
  }
}

function checkReferenced(descriptor: Descriptor, storedSize: number | undefined, kind: 'blob' | 'manifest'): void {
  if (storedSize === undefined) {
    throw new DistributionError(400, 'MANIFEST_BLOB_UNKNOWN', `${kind} ${descriptor.digest}: the manifest points at it, the repository does not hold it`, {}, descriptor.digest);
  }
  if (storedSize !== descriptor.size) {
    throw new DistributionError(400, 'SIZE_INVALID', `${kind} ${descriptor.digest}: the manifest says ${descriptor.size} bytes, the repository holds ${storedSize}`);
  }
}
