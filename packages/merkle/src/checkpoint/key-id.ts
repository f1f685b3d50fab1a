import { sha256, type PublicKey } from '@sigil/crypto';
import { bytesEqual, concatBytes, utf8Encode } from '@sigil/encoding';
import { MerkleError } from '../errors.js';
import { isValidKeyName } from './note-format.js';

// DER SubjectPublicKeyInfo header of every Ed25519 key (RFC 8410); the raw key follows.
const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const ED25519_SIGNATURE_TYPE = 0x01;

/**
 * The full 32-byte key hash a signed-note key is known by; its first 4 bytes are the key ID
 * on signature lines. Ed25519 (C2SP, type 0x01): SHA-256(name || 0x0A || 0x01 || raw key),
 * which Rekor v2 also publishes as the log ID. ECDSA (C2SP type 0x02, Rekor v1 and v2):
 * SHA-256(SPKI DER), the Rekor v1 log ID. RSA has no agreed form: pass the key ID instead.
 */
export function checkpointKeyId(name: string, publicKey: PublicKey): Uint8Array {
  if (typeof name !== 'string' || !isValidKeyName(name)) {
    throw new MerkleError('MERKLE_CHECKPOINT_KEY_INVALID', 'checkpoint key: expected a non-empty key name without spaces or "+"');
  }
  switch (publicKey?.kind) {
    case 'ed25519':
      return sha256(utf8Encode(name), Uint8Array.of(0x0a, ED25519_SIGNATURE_TYPE), rawEd25519Key(publicKey.spki));
    case 'ecdsa':
      return sha256(publicKey.spki);
    default:
      throw new MerkleError(
        'MERKLE_CHECKPOINT_KEY_INVALID',
        `checkpoint key: no standard key ID for ${publicKey?.kind ?? 'a missing'} key; pass keyId (the trusted root's checkpointKeyId or logId)`,
      );
  }
}

function rawEd25519Key(spki: Uint8Array): Uint8Array {
  const prefix = spki.subarray(0, ED25519_SPKI_PREFIX.length);
  if (spki.length !== ED25519_SPKI_PREFIX.length + 32 || !bytesEqual(prefix, ED25519_SPKI_PREFIX)) {
    throw new MerkleError('MERKLE_CHECKPOINT_KEY_INVALID', 'checkpoint key: expected a 44-byte Ed25519 SubjectPublicKeyInfo');
  }
  return concatBytes(spki.subarray(ED25519_SPKI_PREFIX.length));
}
