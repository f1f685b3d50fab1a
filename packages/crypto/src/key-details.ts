import type { PublicKey } from './public-key.js';

/**
 * The Sigstore PublicKeyDetails name of a key (protobuf-specs' enum, as trusted roots and Rekor
 * v2 entries spell it): its curve and hash for ECDSA, its size for RSA (PKCS#1 v1.5), or Ed25519.
 */
export function keyDetailsOf(key: PublicKey): string {
  if (key.kind === 'ecdsa') return { 'P-256': 'PKIX_ECDSA_P256_SHA_256', 'P-384': 'PKIX_ECDSA_P384_SHA_384', 'P-521': 'PKIX_ECDSA_P521_SHA_512' }[key.curve];
  if (key.kind === 'rsa') return `PKIX_RSA_PKCS1V15_${key.bits}_SHA256`;
  return 'PKIX_ED25519';
}
