import { derToPem, typeOf, utf8Encode } from '@sigil/encoding';
import { KeysError } from './errors.js';
import type { Signer } from './signer.js';

/**
 * What Fulcio asks for with a public key: a signature, in DER, over the UTF-8 bytes of the
 * token's challenge claim (`sub`, or `email` for email issuers), with the key's own hash.
 */
export async function proofOfPossession(signer: Signer, challenge: string): Promise<Uint8Array> {
  if (typeof challenge !== 'string' || challenge === '') {
    throw new KeysError('KEYS_INVALID_INPUT', `proof of possession: expected the challenge claim as a non-empty string, found ${challenge === '' ? 'an empty string' : typeOf(challenge)}`, {
      hint: "Pass the token's sub claim, or its email claim for email issuers.",
    });
  }
  return signer.sign(utf8Encode(challenge));
}

/** The signer's public key as a `-----BEGIN PUBLIC KEY-----` PEM, as Fulcio's publicKeyRequest takes it. */
export function publicKeyPem(signer: Signer): string {
  return derToPem(signer.spki, 'PUBLIC KEY');
}
