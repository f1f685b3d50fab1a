import { expect } from 'vitest';
import { sha256Digest, type Descriptor } from '../src/index.js';

/** buildTestImage() with default options, pinned: the same on every run and machine. */
export const DEFAULT_IMAGE_DIGEST = 'sha256:e3099dce3187b635f8d32a5917480256bdedc1fcd7972f12b43ad57c562ee409';

export const EMPTY_CONFIG = new TextEncoder().encode('{}');
export const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** Registry 2.8 (and so the in-repo registry) serves OCI manifests only to an Accept that names them. */
export const ACCEPT_OCI = { accept: `${OCI_MANIFEST}, ${OCI_INDEX}` };

/** The distribution error code of a refusal's JSON body. */
export async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { errors?: Array<{ code?: string }> };
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return body.errors?.[0]?.code;
}

export async function pushBlob(url: string, repository: string, bytes: Uint8Array, headers: Record<string, string> = {}): Promise<string> {
  const digest = sha256Digest(bytes);
  const res = await fetch(`${url}/v2/${repository}/blobs/uploads/?digest=${digest}`, { method: 'POST', body: bytes, headers });
  expect(res.status).toBe(201);
  return digest;
}

export function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** A referrer as cosign v3 writes one: empty config, one bundle layer, a subject, optional artifactType. */
export function referrerManifest(layer: Uint8Array, subject: Descriptor, extra: { artifactType?: string; annotations?: Record<string, string>; configType?: string } = {}): Uint8Array {
  return json({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    ...(extra.artifactType ? { artifactType: extra.artifactType } : {}),
    config: { mediaType: extra.configType ?? 'application/vnd.oci.empty.v1+json', digest: sha256Digest(EMPTY_CONFIG), size: 2 },
    layers: [{ mediaType: BUNDLE_TYPE, digest: sha256Digest(layer), size: layer.length }],
    subject,
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  });
}

export async function putManifest(url: string, repository: string, reference: string, bytes: Uint8Array, contentType = OCI_MANIFEST, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v2/${repository}/manifests/${reference}`, { method: 'PUT', body: bytes, headers: { 'content-type': contentType, ...headers } });
}

export interface IndexJson {
  schemaVersion: number;
  mediaType: string;
  manifests: Array<Descriptor & { artifactType?: string; annotations?: Record<string, string> }>;
}

/** A referrers answer (or any image index) as JSON. */
export async function readIndex(res: Response): Promise<IndexJson> {
  return (await res.json()) as IndexJson;
}

/** What registry 2.8 answers a GET of an OCI image manifest, by Accept; the in-repo registry must agree. */
export const ACCEPT_CASES: Array<[string, string | undefined, number]> = [
  ['no Accept', undefined, 404],
  ['*/*', '*/*', 404],
  ['a wildcard subtype', 'application/vnd.oci.image.*', 404],
  ['only the Docker type', 'application/vnd.docker.distribution.manifest.v2+json', 404],
  ['only the OCI index type', OCI_INDEX, 404],
  ['the OCI type in capitals', OCI_MANIFEST.toUpperCase(), 404],
  ['the exact OCI type', OCI_MANIFEST, 200],
  ['the OCI type in a list, with a q parameter', `application/json, ${OCI_MANIFEST};q=0.5`, 200],
];

/** GET and HEAD of a manifest with this Accept: both statuses, and the error code of a GET refusal. */
export async function manifestStatusByAccept(url: string, path: string, accept: string | undefined): Promise<{ get: number; head: number; code?: string }> {
  const headers: Record<string, string> = accept === undefined ? {} : { accept };
  const get = await fetch(`${url}/v2/${path}`, { headers });
  const head = await fetch(`${url}/v2/${path}`, { method: 'HEAD', headers });
  await head.arrayBuffer();
  return { get: get.status, head: head.status, ...(get.status === 200 ? (await get.arrayBuffer(), {}) : { code: await errorCode(get) }) };
}
