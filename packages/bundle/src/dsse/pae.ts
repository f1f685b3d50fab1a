import { concatBytes, utf8Encode } from '@sigil/encoding';

/**
 * DSSE pre-authentication encoding, the bytes a DSSE signature covers:
 * "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes as ASCII decimal.
 */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8Encode(payloadType);
  const header = utf8Encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  return concatBytes(header, payload);
}
