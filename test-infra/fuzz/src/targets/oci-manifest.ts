// OCI manifests and indexes as a registry answers them, and what Sigil reads out of them:
// descriptors, a referrer's bundle layer, a `.sig` manifest's layers and the bundle its
// annotations make, and cosign's simple-signing payload.
import { parseDescriptor } from '@sigil/oci';
import { parseManifestJson } from '../../../../packages/oci/src/manifest-json.js';
import { bundleLayerOf } from '../../../../packages/oci/src/signatures/bundle-referrer.js';
import { bundleFromLegacyLayer } from '../../../../packages/oci/src/signatures/legacy-layer.js';
import { signatureLayersOf } from '../../../../packages/oci/src/signatures/sig-manifest.js';
import { parseSimpleSigningPayload } from '../../../../packages/oci/src/signatures/simple-signing.js';
import { typedOnly } from '../typed-only.js';

// As the referrers reader bounds an index.
const MAX_DESCRIPTORS = 1000;

export function fuzz(data: Buffer): void {
  const bytes = new Uint8Array(data);
  typedOnly(() => parseSimpleSigningPayload(bytes));
  const parsed = typedOnly(() => parseManifestJson(bytes, 'manifest'));
  if (!parsed) return;
  const { json } = parsed;
  if (Array.isArray(json.manifests) && json.manifests.length <= MAX_DESCRIPTORS) {
    json.manifests.forEach((item, i) => typedOnly(() => parseDescriptor(item, `$.manifests[${i}]`)));
  }
  typedOnly(() => bundleLayerOf(json));
  for (const layer of typedOnly(() => signatureLayersOf(json)) ?? []) typedOnly(() => bundleFromLegacyLayer(layer.annotations));
}
