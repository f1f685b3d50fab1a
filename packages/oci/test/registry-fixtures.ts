import { buildTestImage } from '@sigil/registry';
import { digestOf, OCI_EMPTY, OCI_MANIFEST, type Descriptor, type RegistryClient } from '../src/index.js';

// buildTestImage() is byte for byte the same everywhere: its manifest digest is pinned.
export const TEST_IMAGE_DIGEST = 'sha256:e3099dce3187b635f8d32a5917480256bdedc1fcd7972f12b43ad57c562ee409';
export const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const EMPTY_JSON = new TextEncoder().encode('{}');

export const image = buildTestImage();

/** Pushes the test image with the client under test: both blobs (the layer in chunks when asked), then the manifest by tag. */
export async function pushImage(client: RegistryClient, repository: string, tag = 'v1', chunkSize?: number): Promise<string> {
  await client.pushBlob(repository, image.config.bytes);
  await client.pushBlob(repository, image.layer.bytes, chunkSize === undefined ? {} : { chunkSize });
  const { digest } = await client.putManifest(repository, tag, image.manifest, image.mediaType);
  return digest;
}

/** A cosign-3 style referrer: empty config, one layer, `subject`, `artifactType`, annotations. */
export async function pushReferrerFor(
  client: RegistryClient,
  repository: string,
  subject: Descriptor,
  options: { artifactType?: string; content?: string; annotations?: Record<string, string> } = {},
): Promise<{ digest: string; via: string; bytes: Uint8Array }> {
  const artifactType = options.artifactType ?? BUNDLE_TYPE;
  const empty = await client.pushBlob(repository, EMPTY_JSON, { mediaType: OCI_EMPTY });
  const layer = await client.pushBlob(repository, new TextEncoder().encode(options.content ?? '{"bundle":1}'), { mediaType: artifactType });
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType,
    config: empty,
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: options.annotations ?? { 'dev.sigstore.bundle.content': 'dsse-envelope' },
  };
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  const pushed = await client.pushReferrer(repository, bytes, OCI_MANIFEST, subject);
  return { ...pushed, bytes };
}

export function randomBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export { digestOf };
