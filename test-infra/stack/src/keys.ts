import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@sigil/crypto';
import { decodeBase64 } from '@sigil/encoding';
import { invalid } from './checks.js';

export type Curve = 'P-256' | 'P-384';

/** An ECDSA key pair that signs the way Sigstore services do: DER signatures, the curve's hash. */
export interface SigningKey {
  readonly curve: Curve;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** SHA-256 of the SPKI: a log's ID, a CT log's log_id. */
  readonly keyId: Uint8Array;
  /** ECDSA over `data` with SHA-256 (P-256) or SHA-384 (P-384), DER-encoded. */
  sign(data: Uint8Array): Uint8Array;
}

const CURVE_HASH: Record<Curve, string> = { 'P-256': 'sha256', 'P-384': 'sha384' };

export function generateSigningKey(curve: Curve): SigningKey {
  return signingKeyFromPrivateKey(generateKeyPairSync('ec', { namedCurve: curve }).privateKey);
}

// node's names for the curves (KeyObject.asymmetricKeyDetails.namedCurve).
const CURVE_OF_NODE_NAME: Record<string, Curve> = { prime256v1: 'P-256', secp384r1: 'P-384' };

/** A SigningKey around an existing P-256 or P-384 private key (one kept on disk). */
export function signingKeyFromPrivateKey(privateKey: KeyObject): SigningKey {
  const curve = privateKey?.type === 'private' ? CURVE_OF_NODE_NAME[privateKey.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  if (!curve) invalid(`signing key: expected an ECDSA P-256 or P-384 private key, found ${privateKey?.asymmetricKeyType ?? typeof privateKey} ${privateKey?.asymmetricKeyDetails?.namedCurve ?? ''}`.trim());
  const publicKey = createPublicKey(privateKey);
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  return {
    curve,
    privateKey,
    publicKey,
    spki,
    keyId: sha256(spki),
    sign: (data) => new Uint8Array(sign(CURVE_HASH[curve], data, privateKey)),
  };
}

/**
 * ECDSA P-256 over a SHA-256 digest the caller already has (a signer given only the
 * artifact's digest). Equal to signing the artifact itself: ECDSA signs the hash.
 */
export function signSha256Digest(key: SigningKey, digest: Uint8Array): Uint8Array {
  const jwk = key.privateKey.export({ format: 'jwk' });
  const secret = decodeBase64(jwk.d ?? '', 'private key scalar');
  return p256.sign(digest, secret, { prehash: false, format: 'der' });
}
