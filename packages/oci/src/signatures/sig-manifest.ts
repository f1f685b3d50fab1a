import { sha256 } from '@sigil/crypto';
import { encodeHex, utf8Encode } from '@sigil/encoding';
import { DOCKER_MANIFEST, OCI_MANIFEST } from '../media-types.js';
import { descriptorOrUndefined, OCI_CONFIG_MEDIA_TYPE, type Descriptor } from './descriptor.js';
import { ImageSignatureError } from './errors.js';
import { SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from './legacy-layer.js';

/** cosign 2's tag for an image's signatures: `sha256:<hex>` becomes `sha256-<hex>.sig`. */
export function signatureTag(imageDigest: string): string {
  return `${imageDigest.replace(':', '-')}.sig`;
}

/** cosign writes OCI manifests, or Docker v2 ones with COSIGN_DOCKER_MEDIA_TYPES: both are read. */
export const SIGNATURE_MANIFEST_TYPES: readonly string[] = [OCI_MANIFEST, DOCKER_MANIFEST];

export interface SignatureLayer {
  descriptor: Descriptor;
  /** The simple-signing payload: the layer's blob. */
  payload: Uint8Array;
}

export function signatureLayer(payload: Uint8Array, annotations: Record<string, string>): SignatureLayer {
  return { payload, descriptor: { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, size: payload.length, digest: digestOf(payload), annotations } };
}

export interface SignatureManifest {
  manifest: Uint8Array;
  config: Uint8Array;
}

/**
 * The `.sig` manifest after adding a signature: the layers already there, kept exactly as
 * they were (whoever wrote them), then the new one unless the same signature is already
 * stored (cosign appends and never replaces). The config is the one an "empty image" with
 * these uncompressed layers has.
 */
export function appendSignatureLayer(existing: readonly unknown[], added: Descriptor): SignatureManifest {
  const duplicate = existing.some((raw) => {
    const layer = descriptorOrUndefined(raw);
    return layer?.digest === added.digest && layer.annotations?.[SIGNATURE_ANNOTATION] === added.annotations?.[SIGNATURE_ANNOTATION];
  });
  const layers: unknown[] = duplicate ? [...existing] : [...existing, added];
  const diffIds = layers.map((layer) => (layer as { digest?: unknown })?.digest).filter((digest) => typeof digest === 'string');
  const config = utf8Encode(JSON.stringify({ architecture: '', created: '0001-01-01T00:00:00Z', os: '', rootfs: { type: 'layers', diff_ids: diffIds }, config: {} }));
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG_MEDIA_TYPE, size: config.length, digest: digestOf(config) },
    layers,
  };
  return { manifest: utf8Encode(JSON.stringify(manifest)), config };
}

const MAX_LAYERS = 1000;

/** The layers of a stored `.sig` (or `.att`) manifest of the given type (simple signing by default). */
export function signatureLayersOf(manifest: unknown, mediaType = SIMPLE_SIGNING_MEDIA_TYPE): Descriptor[] {
  return rawLayersOf(manifest).flatMap((layer) => descriptorOrUndefined(layer) ?? []).filter((layer) => layer.mediaType === mediaType);
}

/** A stored `.sig` manifest's layers as they are, bounded. */
export function rawLayersOf(manifest: unknown): unknown[] {
  const layers = (manifest as { layers?: unknown })?.layers;
  if (!Array.isArray(layers)) throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig manifest: expected a layers array, found ${layers === undefined ? 'none' : typeof layers}`);
  if (layers.length > MAX_LAYERS) throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig manifest: expected at most ${MAX_LAYERS} layers, found ${layers.length}`);
  return layers;
}

function digestOf(bytes: Uint8Array): string {
  return `sha256:${encodeHex(sha256(bytes))}`;
}
