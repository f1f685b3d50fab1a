import { BUNDLE_MEDIA_TYPE_V0_3 } from '@sigil/bundle';
import { sha256 } from '@sigil/crypto';
import { encodeHex, utf8Encode } from '@sigil/encoding';
import { COSIGN_SIGN_PREDICATE_TYPE } from './cosign-statement.js';
import { OCI_EMPTY, OCI_MANIFEST } from '../media-types.js';
import type { RegistryClient } from '../client.js';
import type { ReferrersVia } from '../operations/referrers.js';
import type { ImageReference } from '../reference.js';
import { descriptorOrUndefined, OCI_EMPTY_DIGEST, OCI_EMPTY_JSON, type Descriptor } from './descriptor.js';

/** What cosign 3 looks for among an image's referrers: one layer whose type starts with this. */
export const BUNDLE_LAYER_PREFIX = 'application/vnd.dev.sigstore.bundle';

export interface BundleReferrer {
  manifest: Uint8Array;
  bundle: Descriptor;
}

/**
 * The OCI 1.1 artifact that carries a bundle next to the image it signs, as cosign 3 writes
 * it: the empty config, the bundle as its one layer, the image as its subject. It is pushed
 * by digest, untagged; registries find it through the referrers API or the fallback tag.
 */
export function bundleReferrerManifest(bundleJson: Uint8Array, subject: Descriptor, created: Date, predicateType = COSIGN_SIGN_PREDICATE_TYPE): BundleReferrer {
  const bundle: Descriptor = { mediaType: BUNDLE_MEDIA_TYPE_V0_3, size: bundleJson.length, digest: `sha256:${encodeHex(sha256(bundleJson))}` };
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: BUNDLE_MEDIA_TYPE_V0_3,
    config: { mediaType: OCI_EMPTY, digest: OCI_EMPTY_DIGEST, size: 2 },
    layers: [bundle],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      'dev.sigstore.bundle.content': 'dsse-envelope',
      'dev.sigstore.bundle.predicateType': predicateType,
      'org.opencontainers.image.created': created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  };
  return { manifest: utf8Encode(JSON.stringify(manifest)), bundle };
}

/** The bundle layer of a referrer manifest, or undefined when it is not a bundle artifact (skip it). */
export function bundleLayerOf(manifest: unknown): Descriptor | undefined {
  const layers = (manifest as { layers?: unknown })?.layers;
  if (!Array.isArray(layers) || layers.length !== 1) return undefined;
  const layer = descriptorOrUndefined(layers[0]);
  return layer?.mediaType.startsWith(BUNDLE_LAYER_PREFIX) ? layer : undefined;
}

/**
 * Attaches a bundle to the image it signs: the empty config and the bundle as blobs, then the
 * artifact manifest by digest (with the `sha256-<hex>` fallback index where the registry has
 * no referrers API).
 */
export async function pushBundleReferrer(
  client: RegistryClient,
  ref: ImageReference,
  subject: Descriptor,
  bundleJson: Record<string, unknown>,
  predicateType: string,
  created: Date,
): Promise<{ digest: string; via: ReferrersVia }> {
  const bundleBytes = utf8Encode(JSON.stringify(bundleJson));
  const { manifest } = bundleReferrerManifest(bundleBytes, subject, created, predicateType);
  await client.pushBlob(ref, OCI_EMPTY_JSON);
  await client.pushBlob(ref, bundleBytes);
  return client.pushReferrer(ref, manifest, OCI_MANIFEST, subject);
}
