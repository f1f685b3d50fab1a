import { parseDescriptor, type Descriptor } from '../descriptor.js';

export type { Descriptor };

export const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
/** The empty JSON object `{}`: the config of artifacts that need none. */
export const OCI_EMPTY_JSON = new Uint8Array([0x7b, 0x7d]);
export const OCI_EMPTY_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

/** A well-formed descriptor, or undefined: what a registry lists is skipped, not trusted, when malformed. */
export function descriptorOrUndefined(value: unknown): Descriptor | undefined {
  try {
    return parseDescriptor(value, '$');
  } catch {
    return undefined;
  }
}
