import type { Statement } from '@sigil/bundle';
import type { SignerIdentity } from './check-identity.js';

export interface VerifiedTime {
  /** 'current-time' only when the caller opted out of verified times (withoutVerifiedTime). */
  kind: 'transparency-log' | 'rfc3161' | 'current-time';
  time: Date;
  /** The log's base URL, the timestamp authority's URI, or "the verifier's clock" for 'current-time'. */
  source: string;
}

export interface VerificationResult {
  bundleVersion: string;
  mediaType: string;
  /** The keyless signer; absent for bundles verified with a public key. */
  signer: SignerIdentity | undefined;
  /**
   * `logIndex` only when signed evidence binds it (a SET, or Rekor v2's proof); `inclusionProofIndex`
   * when a checkpointed inclusion proof was verified; `integratedTime` only when a SET vouches for it.
   */
  tlogEntries: { logIndex: bigint | undefined; inclusionProofIndex: bigint | undefined; logUrl: string; kind: string; version: string; integratedTime: Date | undefined }[];
  timestamps: VerifiedTime[];
  /** The in-toto statement of a DSSE bundle. */
  statement: Statement | undefined;
}
