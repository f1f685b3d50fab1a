import { describeError, isSigilError } from '@sigil/errors';
import type { RegistryClient } from '../client.js';
import type { Descriptor } from '../descriptor.js';
import { OciError } from '../errors.js';
import { OCI_MANIFEST } from '../media-types.js';
import { referenceTo, type ImageReference } from '../reference.js';
import { bundleLayerOf } from './bundle-referrer.js';
import { SIGNATURE_MANIFEST_TYPES, signatureLayersOf } from './sig-manifest.js';

/** Where a candidate was found, for messages: `referrer sha256:...` or `sha256-....sig layer 2`. */
export interface Candidate<T> {
  source: string;
  /** Undefined when it turns out to be something else (an SBOM referrer, say): skipped. */
  load(): Promise<T | undefined>;
}

/** A candidate that could not be read or did not verify. */
export interface CandidateFailure {
  source: string;
  code: string;
  message: string;
}

// A registry decides how many referrers and layers an image has: only so many are tried
// (cosign's maxAllowedSigsOrAtts).
export const MAX_CANDIDATES = 100;
// Signature material is small: a bundle or a simple-signing payload is a few KiB, a referrer
// manifest less. Attestations may be larger and are bounded by the client's blob limit.
export const MAX_SIGNATURE_BYTES = 1024 * 1024;

/**
 * The bundles attached to an image as OCI 1.1 referrers (API or fallback tag); other
 * artifacts are skipped. Each manifest and bundle is read at most to the size its descriptor
 * states (and `maxBytes`): a registry that sends more is cut off, not believed.
 */
export async function bundleReferrers(client: RegistryClient, ref: ImageReference, digest: string, maxBytes?: number): Promise<Candidate<Uint8Array>[]> {
  const { manifests } = await client.listReferrers(ref, digest);
  return manifests.slice(0, MAX_CANDIDATES).map((descriptor) => ({
    source: `referrer ${descriptor.digest}`,
    load: async () => {
      const manifest = await client.getManifest(referenceTo(ref, { digest: descriptor.digest }), [OCI_MANIFEST], { maxBytes: sizeOf(descriptor, maxBytes, 'referrer manifest') });
      const layer = bundleLayerOf(manifest.json);
      return layer ? client.getBlob(ref, layer.digest, { maxBytes: sizeOf(layer, maxBytes, 'bundle layer') }) : undefined;
    },
  }));
}

/** A `.sig` layer, whose annotations are read before its payload is fetched. */
export interface TaggedLayer {
  source: string;
  layer: Descriptor;
  /** The payload, read at most to the layer's size (and `maxBytes`). */
  load(): Promise<Uint8Array>;
}

/** The bytes to read for a descriptor: its size, refused at once when over the cap. */
function sizeOf(descriptor: Descriptor, maxBytes: number | undefined, what: string): number {
  if (maxBytes !== undefined && descriptor.size > maxBytes) {
    throw new OciError('OCI_TOO_LARGE', `${what} ${descriptor.digest}: expected at most ${maxBytes} bytes, found a descriptor of ${descriptor.size}`, {
      details: { limit: maxBytes, found: descriptor.size },
    });
  }
  return descriptor.size;
}

/** The layers of the image's cosign 2 signature tag (`sha256-<hex>.sig`, or `.att` for attestations); none when the tag is absent. */
export async function taggedLayers(client: RegistryClient, ref: ImageReference, tag: string, layerMediaType: string, maxBytes?: number): Promise<TaggedLayer[]> {
  let layers: Descriptor[];
  try {
    layers = signatureLayersOf((await client.getManifest(referenceTo(ref, { tag }), SIGNATURE_MANIFEST_TYPES)).json, layerMediaType);
  } catch (err) {
    if (err instanceof OciError && err.code === 'OCI_NOT_FOUND') return [];
    throw err;
  }
  return layers.slice(0, MAX_CANDIDATES).map((layer, index) => ({
    source: `${tag} layer ${index + 1}`,
    layer,
    load: async () => client.getBlob(ref, layer.digest, { maxBytes: sizeOf(layer, maxBytes, '.sig layer') }),
  }));
}

export function failureOf(source: string, err: unknown): CandidateFailure {
  return { source, code: isSigilError(err) ? err.code : 'UNEXPECTED', message: describeError(err) };
}
