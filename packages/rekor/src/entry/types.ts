import type { HashAlgorithm } from '@sigil/crypto';

export type EntryKind = 'hashedrekord' | 'dsse' | 'intoto';

export interface Digest {
  algorithm: HashAlgorithm;
  digest: Uint8Array;
}

export interface EntryVerifier {
  type: 'certificate' | 'publicKey';
  /** DER certificate or SubjectPublicKeyInfo (from PEM in v0.0.1 bodies, rawBytes in v0.0.2). */
  der: Uint8Array;
  /** v0.0.2 only: the PublicKeyDetails enum name the log recorded, e.g. PKIX_ECDSA_P256_SHA_256. */
  keyDetails?: string;
}

/**
 * What a logged entry says, decoded: the fields a verifier compares with its bundle.
 * signatures[i] and verifiers[i] belong together wherever the body pairs them; intoto
 * v0.0.1 logs no signature at all (only the key), so its signatures are empty.
 */
export interface LoggedEntry {
  kind: EntryKind;
  version: string;
  /** Raw signature bytes (DER for ECDSA), base64 layers already removed. */
  signatures: Uint8Array[];
  verifiers: EntryVerifier[];
  /** hashedrekord: the signed artifact's digest (for Rekor v2 DSSE: the digest of the PAE bytes). */
  artifactDigest?: Digest;
  /** dsse / intoto: the digest of the envelope payload. */
  payloadHash?: Digest;
  /** dsse v0.0.1 / intoto: the digest of the envelope as submitted (not recomputable). */
  envelopeHash?: Digest;
  /** intoto v0.0.2: the envelope's payloadType. */
  payloadType?: string;
}
