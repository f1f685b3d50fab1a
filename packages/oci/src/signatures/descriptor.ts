/** An OCI content descriptor, as manifests and indexes list them. */
export interface ContentDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
export const OCI_EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
/** The empty JSON object `{}`: the config of artifacts that need none. */
export const OCI_EMPTY_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

/** A well-formed sha256 descriptor; anything else read from a registry is skipped. */
export function isDescriptor(value: unknown): value is ContentDescriptor {
  if (typeof value !== 'object' || value === null) return false;
  const { mediaType, digest, size, annotations } = value as Record<string, unknown>;
  return (
    typeof mediaType === 'string' &&
    typeof digest === 'string' &&
    /^sha256:[0-9a-f]{64}$/.test(digest) &&
    Number.isSafeInteger(size) &&
    (size as number) >= 0 &&
    (annotations === undefined || (typeof annotations === 'object' && annotations !== null && !Array.isArray(annotations)))
  );
}
