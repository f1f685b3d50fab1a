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

// A registry decides how many referrers and layers an image has: only so many are tried.
export const MAX_CANDIDATES = 100;

/** The bundles attached to an image as OCI 1.1 referrers (API or fallback tag); other artifacts are skipped. */
export async function bundleReferrers(client: RegistryClient, ref: ImageReference, digest: string): Promise<Candidate<Uint8Array>[]> {
  const { manifests } = await client.listReferrers(ref, digest);
  return manifests.slice(0, MAX_CANDIDATES).map((descriptor) => ({
    source: `referrer ${descriptor.digest}`,
    load: async () => {
      const manifest = await client.getManifest(referenceTo(ref, { digest: descriptor.digest }), [OCI_MANIFEST]);
      const layer = bundleLayerOf(manifest.json);
      return layer ? client.getBlob(ref, layer.digest) : undefined;
    },
  }));
}

/** The layers of the image's cosign 2 signature tag (`sha256-<hex>.sig`, or `.att` for attestations); none when the tag is absent. */
export async function taggedLayers(
  client: RegistryClient,
  ref: ImageReference,
  tag: string,
  layerMediaType: string,
): Promise<Candidate<{ layer: Descriptor; blob: Uint8Array }>[]> {
  let layers: Descriptor[];
  try {
    layers = signatureLayersOf((await client.getManifest(referenceTo(ref, { tag }), SIGNATURE_MANIFEST_TYPES)).json, layerMediaType);
  } catch (err) {
    if (err instanceof OciError && err.code === 'OCI_NOT_FOUND') return [];
    throw err;
  }
  return layers.slice(0, MAX_CANDIDATES).map((layer, index) => ({
    source: `${tag} layer ${index + 1}`,
    load: async () => ({ layer, blob: await client.getBlob(ref, layer.digest) }),
  }));
}

export function failureOf(source: string, err: unknown): CandidateFailure {
  return { source, code: isSigilError(err) ? err.code : 'UNEXPECTED', message: describeError(err) };
}
