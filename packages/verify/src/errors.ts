import { SigilError } from '@sigil/errors';

/** Codes for a bundle that does not verify. Each names the check that failed. */
export type VerificationErrorCode =
  | 'VERIFY_KEY_MATERIAL' // the bundle's certificate or key cannot be used
  | 'VERIFY_KEY_REQUIRED' // a key-signed bundle, and no key to check it with
  | 'VERIFY_KEY_MISMATCH' // a key was given for a bundle signed with a certificate
  | 'VERIFY_TLOG_MISSING' // no transparency log entry, or fewer than the threshold
  | 'VERIFY_TLOG_UNKNOWN_LOG' // an entry from a log the trusted root does not list
  | 'VERIFY_TLOG_DUPLICATE' // the same entry twice
  | 'VERIFY_TLOG_TOO_MANY' // more entries than any real bundle carries
  | 'VERIFY_TLOG_BODY_MISMATCH' // the logged entry is not about this signature, certificate or artifact
  | 'VERIFY_TLOG_BODY_INVALID' // the logged entry cannot be read
  | 'VERIFY_TLOG_KIND_MISMATCH' // the logged entry's kind cannot stand for this bundle's content (a Rekor v1 blob signature for DSSE)
  | 'VERIFY_TLOG_SET_MISSING' // a v0.1 bundle without its inclusion promise
  | 'VERIFY_TLOG_SET_INVALID'
  | 'VERIFY_TLOG_PROOF_MISSING' // a v0.2+ bundle or Rekor v2 entry without its inclusion proof
  | 'VERIFY_TLOG_PROOF_INVALID'
  | 'VERIFY_TLOG_CHECKPOINT_INVALID'
  | 'VERIFY_TLOG_INCONSISTENT' // two checkpoints of one log that no append-only history joins
  | 'VERIFY_TLOG_KEY_NOT_VALID' // the log key was not valid at the entry's time
  | 'VERIFY_TIMESTAMP_INVALID'
  | 'VERIFY_TIMESTAMP_MISSING' // fewer verified times than the threshold
  | 'VERIFY_CERTIFICATE_UNTRUSTED' // no trusted CA issued the certificate at the signing time
  | 'VERIFY_CERTIFICATE_INVALID' // the certificate breaks the profile (EKU, key usage, ...)
  | 'VERIFY_SCT_MISSING' // fewer verified SCTs than the threshold
  | 'VERIFY_SCT_INVALID'
  | 'VERIFY_SIGNATURE_INVALID' // the signature does not verify over the artifact
  | 'VERIFY_ARTIFACT_MISMATCH' // the artifact's digest is not what the bundle names
  | 'VERIFY_ARTIFACT_UNSUPPORTED' // the artifact was given in a form this bundle cannot be checked against
  | 'VERIFY_DSSE_INVALID'; // payload type, statement or signature count

export class VerificationError extends SigilError<VerificationErrorCode> {}

/** Codes for a bundle that verifies but was signed by someone the policy does not accept. */
export type PolicyErrorCode =
  | 'POLICY_IDENTITY_MISMATCH'
  | 'POLICY_ISSUER_MISMATCH'
  | 'POLICY_EXTENSION_MISMATCH'
  | 'POLICY_IDENTITY_REQUIRED'
  | 'POLICY_UNANCHORED_REGEXP'
  | 'POLICY_INVALID_REGEXP'
  | 'POLICY_UNKNOWN_EXTENSION';

export class PolicyError extends SigilError<PolicyErrorCode> {}
