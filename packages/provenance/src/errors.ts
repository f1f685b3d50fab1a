import { SigilError } from '@sigil/errors';

/** Codes for provenance that cannot be built, read or accepted. Each names the failed check. */
export type ProvenanceErrorCode =
  // Building provenance in a GitLab job
  | 'PROVENANCE_ENV_MISSING' // a GitLab CI variable the statement needs is absent: not inside a GitLab job
  | 'PROVENANCE_ENV_INVALID' // a GitLab CI variable holds a value GitLab never sets (bad commit, URL, time)
  | 'PROVENANCE_OPTIONS_INVALID' // an argument of the wrong type (environment, times, algorithms)
  | 'PROVENANCE_SUBJECT_INVALID' // subjects to attest: none, no name, or a malformed digest
  | 'PROVENANCE_FILE_UNREADABLE' // an artifact to attest cannot be read
  // Reading provenance
  | 'PROVENANCE_STATEMENT_INVALID' // not an in-toto statement
  | 'PROVENANCE_PREDICATE_UNSUPPORTED' // a predicate type other than SLSA provenance v0.2 or v1
  | 'PROVENANCE_PREDICATE_INVALID' // an SLSA predicate without a field its spec requires
  // Checking provenance against a policy
  | 'PROVENANCE_POLICY_INVALID'
  | 'PROVENANCE_SUBJECT_MISMATCH'
  | 'PROVENANCE_BUILD_TYPE_MISMATCH'
  | 'PROVENANCE_BUILDER_MISMATCH'
  | 'PROVENANCE_SOURCE_REPOSITORY_MISMATCH'
  | 'PROVENANCE_SOURCE_COMMIT_MISMATCH'
  | 'PROVENANCE_SOURCE_REF_MISMATCH'
  | 'PROVENANCE_CONFIG_PATH_MISMATCH'
  // npm packages
  | 'PROVENANCE_NPM_PACKAGE_INVALID' // a package name or version npm would not accept
  | 'PROVENANCE_NPM_TARBALL_INVALID' // not a gzip tar, too large, or no readable package/package.json
  | 'PROVENANCE_NPM_ATTESTATIONS_INVALID' // the registry's attestations document has the wrong shape
  | 'PROVENANCE_NPM_PROVENANCE_MISSING' // no SLSA provenance among the attestations
  | 'PROVENANCE_NPM_PROVENANCE_AMBIGUOUS' // more than one SLSA provenance attestation
  | 'PROVENANCE_NPM_PACKAGE_MISMATCH' // the tarball's package.json is not the package the caller expects
  | 'PROVENANCE_NPM_SUBJECT_MISMATCH' // the statement is not about this package version and tarball
  | 'PROVENANCE_NPM_SOURCE_UNKNOWN' // the provenance or the certificate names no source repository
  | 'PROVENANCE_NPM_SOURCE_MISMATCH' // the provenance's source differs from the certificate's
  // npm registry signatures (`npm audit signatures`)
  | 'PROVENANCE_NPM_KEYS_INVALID' // the registry keys document or a key in it is unusable
  | 'PROVENANCE_NPM_SIGNATURES_INVALID' // the version's dist.signatures are absent or malformed
  | 'PROVENANCE_NPM_SIGNATURE_KEY_MISSING' // npm's EMISSINGSIGNATUREKEY
  | 'PROVENANCE_NPM_SIGNATURE_KEY_EXPIRED' // npm's EEXPIREDSIGNATUREKEY
  | 'PROVENANCE_NPM_SIGNATURE_INVALID'; // npm's EINTEGRITYSIGNATURE

export class ProvenanceError extends SigilError<ProvenanceErrorCode> {}
