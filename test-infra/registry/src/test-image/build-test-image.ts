import { deterministicGzip } from './gzip.js';
import { singleFileTar } from './tar.js';
import { sha256Digest } from '../digest.js';
import { RegistryTestError } from '../errors.js';
import { OCI_CONFIG, OCI_LAYER_GZIP, OCI_MANIFEST } from '../media-types.js';
import { checkOptionalObject } from '../options.js';

export interface TestImageOptions {
  /** The file's content. Default "hello\n". */
  content?: string;
  /** The file's name in the layer. Default hello.txt. */
  name?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface TestImage {
  /** The OCI image manifest, exactly as it is pushed. */
  manifest: Uint8Array;
  manifestDigest: string;
  mediaType: typeof OCI_MANIFEST;
  /** The manifest's descriptor: what a signature's `subject` names. */
  descriptor: Descriptor;
  config: { bytes: Uint8Array; digest: string; mediaType: typeof OCI_CONFIG };
  /** The gzipped layer; diffId is the digest of the tar inside. */
  layer: { bytes: Uint8Array; digest: string; mediaType: typeof OCI_LAYER_GZIP; diffId: string };
}

const MAX_CONTENT_BYTES = 1024 * 1024;

/** A one-layer OCI image (linux/amd64, one file) built byte for byte the same on every run and machine. */
export function buildTestImage(options: TestImageOptions = {}): TestImage {
  checkOptionalObject(options, 'options');
  if (options.content !== undefined && typeof options.content !== 'string') {
    throw new RegistryTestError('REGISTRY_INPUT_INVALID', `options.content: expected a string, found ${typeof options.content}`);
  }
  const content = new TextEncoder().encode(options.content ?? 'hello\n');
  if (content.length > MAX_CONTENT_BYTES) {
    throw new RegistryTestError('REGISTRY_INPUT_INVALID', `options.content: expected at most ${MAX_CONTENT_BYTES} bytes, found ${content.length}`);
  }
  const name = options.name ?? 'hello.txt';
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new RegistryTestError('REGISTRY_INPUT_INVALID', `options.name: expected a plain file name of 1-100 letters, digits, '.', '_' or '-', found ${JSON.stringify(name)}`);
  }

  const tar = singleFileTar(name, content);
  const layerBytes = deterministicGzip(tar);
  const layer = { bytes: layerBytes, digest: sha256Digest(layerBytes), mediaType: OCI_LAYER_GZIP, diffId: sha256Digest(tar) } as const;
  const configBytes = json({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.diffId] } });
  const config = { bytes: configBytes, digest: sha256Digest(configBytes), mediaType: OCI_CONFIG } as const;
  const manifest = json({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: config.mediaType, digest: config.digest, size: config.bytes.length },
    layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.bytes.length }],
  });
  const manifestDigest = sha256Digest(manifest);
  return {
    manifest,
    manifestDigest,
    mediaType: OCI_MANIFEST,
    descriptor: { mediaType: OCI_MANIFEST, digest: manifestDigest, size: manifest.length },
    config,
    layer,
  };
}

/** Compact JSON in the key order written: the bytes are the image's identity. */
function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
