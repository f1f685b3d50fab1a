import type { Bundle } from '@sigil/bundle';
import { preAuthEncoding } from '@sigil/bundle';
import { sha256 } from '@sigil/crypto';
import type { ArtifactDigests } from './artifact.js';

/**
 * What a bundle signs, in the forms the log entry and the timestamps refer to: the
 * signature bytes, and for DSSE the payload and its pre-authentication encoding.
 */
export type SignedContent =
  | { kind: 'message'; signature: Uint8Array; artifact: ArtifactDigests }
  | { kind: 'dsse'; signature: Uint8Array; payloadType: string; payload: Uint8Array; pae: Uint8Array; paeSha256: Uint8Array };

export function signedContentOf(bundle: Bundle, artifact: ArtifactDigests): SignedContent {
  const content = bundle.content;
  if (content.$case === 'messageSignature') {
    return { kind: 'message', signature: content.signature, artifact };
  }
  const { envelope } = content;
  const pae = preAuthEncoding(envelope.payloadType, envelope.payload);
  return {
    kind: 'dsse',
    // The bundle parser guarantees exactly one DSSE signature.
    signature: envelope.signatures[0]!.sig,
    payloadType: envelope.payloadType,
    payload: envelope.payload,
    pae,
    paeSha256: sha256(pae),
  };
}
