import type { HashAlgorithm } from '@sigil/crypto';

/** The bundle format a document was read from; 'cosign-legacy' is `cosign sign-blob --bundle` before cosign 3. */
export type BundleVersion = '0.1' | '0.2' | '0.3' | 'cosign-legacy';

/**
 * A Sigstore bundle, checked for shape only: what it claims is for the verifier to check.
 * Legacy cosign bundles have no media type (`mediaType` is '').
 */
export interface Bundle {
  mediaType: string;
  version: BundleVersion;
  verificationMaterial: VerificationMaterial;
  content: BundleContent;
}

export interface VerificationMaterial {
  content: KeyMaterial;
  tlogEntries: TransparencyLogEntry[];
  /** DER RFC 3161 TimeStampResp structures, as given. */
  rfc3161Timestamps: Uint8Array[];
}

/** DER certificates (a chain has its leaf first), or a hint naming a key the verifier holds. */
export type KeyMaterial =
  | { $case: 'certificate'; certificate: Uint8Array }
  | { $case: 'x509CertificateChain'; certificates: Uint8Array[] }
  | { $case: 'publicKey'; hint: string };

export type BundleContent =
  | { $case: 'messageSignature'; messageDigest?: MessageDigest; signature: Uint8Array }
  | { $case: 'dsseEnvelope'; envelope: Envelope };

/** The artifact digest the signer claims; it identifies the artifact but proves nothing. */
export interface MessageDigest {
  algorithm: HashAlgorithm;
  digest: Uint8Array;
}

/** A DSSE envelope; inside a bundle it has exactly one signature. */
export interface Envelope {
  payload: Uint8Array;
  payloadType: string;
  signatures: EnvelopeSignature[];
}

export interface EnvelopeSignature {
  sig: Uint8Array;
  /** '' when the envelope gives none. */
  keyid: string;
}

export interface TransparencyLogEntry {
  /** Global index: the one the signed entry timestamp covers. */
  logIndex: bigint;
  /** Rekor v1: SHA-256 of the log's SPKI; Rekor v2: the checkpoint key ID. */
  logId: Uint8Array;
  kindVersion: { kind: string; version: string };
  /** Unix seconds; 0 for Rekor v2 entries. Trust it only with a verified promise. */
  integratedTime: bigint;
  inclusionPromise?: { signedEntryTimestamp: Uint8Array };
  inclusionProof?: InclusionProof;
  /** The exact bytes the log stores. */
  canonicalizedBody: Uint8Array;
}

export interface InclusionProof {
  /** Index within the tree (shard) the proof is for. */
  logIndex: bigint;
  rootHash: Uint8Array;
  treeSize: bigint;
  hashes: Uint8Array[];
  /** The signed note text; undefined when the proof comes without one (older v0.1 bundles). */
  checkpoint?: string;
}
