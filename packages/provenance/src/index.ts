// @sigil/provenance: SLSA provenance from GitLab CI variables, provenance policy checks,
// npm package provenance and registry signature verification.
export { ProvenanceError, type ProvenanceErrorCode } from './errors.js';
export {
  SLSA_PROVENANCE_V0_2,
  SLSA_PROVENANCE_V1,
  GITLAB_BUILD_TYPE,
  GITLAB_RUNNER_BUILD_TYPE_PREFIX,
  GITHUB_WORKFLOW_BUILD_TYPE,
  GITHUB_ACTIONS_BUILD_TYPE,
  type Provenance,
  type ProvenanceLayout,
} from './slsa/types.js';
export { gitlabProvenance, type GitlabProvenanceOptions, type ProvenanceStatement } from './gitlab/provenance.js';
export type { Environment } from './gitlab/job.js';
export { subjectsFromFiles, type SubjectsFromFilesOptions } from './subjects-from-files.js';
export { readProvenance, type StatementInput } from './slsa/read-provenance.js';
export { checkProvenance, type ProvenancePolicy, type ExpectedValue } from './slsa/check-provenance.js';
export { npmPackageSubject } from './npm/package-id.js';
export { parseNpmAttestations, type NpmAttestation } from './npm/attestations.js';
export { readPackageJsonFromTarball, tarballIntegrity, type PackageManifest } from './npm/tarball.js';
export { verifyNpmProvenance, type VerifyNpmProvenanceOptions, type NpmProvenanceResult } from './npm/verify-npm-provenance.js';
export { verifyNpmRegistrySignature, type VerifyNpmRegistrySignatureOptions, type NpmRegistryKey } from './npm/registry-signature.js';
