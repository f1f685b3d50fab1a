import { sha256 } from '@sigil/crypto';
import { encodeHex, utf8Encode } from '@sigil/encoding';
import { OCI_MANIFEST } from '../media-types.js';
import { descriptorOrUndefined, OCI_CONFIG_MEDIA_TYPE, type Descriptor } from './descriptor.js';
import { ImageSignatureError } from './errors.js';
import { SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from './legacy-layer.js';

/** cosign 2's tag for an image's signatures: `sha256:<hex>` becomes `sha256-<hex>.sig`. */
export function signatureTag(imageDigest: string): string {
  return `${imageDigest.replace(':', '-')}.sig`;
}

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
 * The `.sig` manifest after adding a signature: the layers already there, then the new one
 * unless the same signature is already stored (cosign appends and never replaces). The
 * config is the one an "empty image" with these uncompressed layers has.
 */
export function appendSignatureLayer(existing: readonly Descriptor[], added: Descriptor): SignatureManifest {
  const duplicate = existing.some(
    (layer) => layer.digest === added.digest && layer.annotations?.[SIGNATURE_ANNOTATION] === added.annotations?.[SIGNATURE_ANNOTATION],
  );
  const layers = duplicate ? [...existing] : [...existing, added];
  const config = utf8Encode(
    JSON.stringify({ architecture: '', created: '0001-01-01T00:00:00Z', os: '', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) }, config: {} }),
  );
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
  const layers = (manifest as { layers?: unknown })?.layers;
  if (!Array.isArray(layers)) throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig manifest: expected a layers array, found ${layers === undefined ? 'none' : typeof layers}`);
  if (layers.length > MAX_LAYERS) throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig manifest: expected at most ${MAX_LAYERS} layers, found ${layers.length}`);
  return layers.flatMap((layer) => descriptorOrUndefined(layer) ?? []).filter((layer) => layer.mediaType === mediaType);
}

function digestOf(bytes: Uint8Array): string {
  return `sha256:${encodeHex(sha256(bytes))}`;
}
