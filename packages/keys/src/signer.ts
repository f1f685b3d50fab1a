import type { HashAlgorithm, PublicKey } from '@sigil/crypto';

/** What an ephemeral key (and Fulcio) signs with. */
export type EphemeralAlgorithm = 'ECDSA_P256_SHA256' | 'ECDSA_P384_SHA384';
/** What a long-lived key file may sign with: cosign's key policy. */
export type SigningAlgorithm = EphemeralAlgorithm | 'ECDSA_P521_SHA512' | 'RSA_PKCS1V15_SHA256';

/**
 * Something that signs with a key it never hands out: an ephemeral in-memory key today,
 * a KMS key later. Signatures are ASN.1 DER ECDSA, as Fulcio and Rekor expect them.
 */
export interface Signer {
  readonly algorithm: SigningAlgorithm;
  /** The hash signDigest expects a digest of. */
  readonly hash: HashAlgorithm;
  readonly publicKey: PublicKey;
  /** The public key as a DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** Signs `data`, hashing it with the algorithm's hash. */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** Signs a digest the caller computed with the algorithm's hash (an artifact hashed once, in one streaming pass). */
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
}

export interface AlgorithmParameters {
  /** node:crypto's curve name. */
  namedCurve: 'prime256v1' | 'secp384r1';
  /** @noble/curves' export. */
  nobleCurve: 'p256' | 'p384';
  hash: HashAlgorithm;
  digestSize: number;
}

export const SIGNING_ALGORITHMS: Readonly<Record<EphemeralAlgorithm, AlgorithmParameters>> = {
  ECDSA_P256_SHA256: { namedCurve: 'prime256v1', nobleCurve: 'p256', hash: 'sha256', digestSize: 32 },
  ECDSA_P384_SHA384: { namedCurve: 'secp384r1', nobleCurve: 'p384', hash: 'sha384', digestSize: 48 },
};
