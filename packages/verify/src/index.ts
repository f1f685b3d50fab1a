// @sigil/verify: the offline Sigstore verifier. Bundle + artifact + trust material + policy
// -> the signer, or a typed error naming the check that failed. It makes no network call.
export { VerificationError, PolicyError, type VerificationErrorCode, type PolicyErrorCode } from './errors.js';
export { Verifier, createVerifier, type VerifierOptions } from './verifier.js';
export { certificateIdentity, type CertificateIdentity, type VerificationPolicy, type IdentityOptions } from './policy.js';
export { exact, regexp, type ValueMatcher, type RegexpOptions } from './matchers.js';
export { artifactFromBytes, artifactFromDigests, artifactFromStream, parseDigestArgument, type Artifact } from './artifact.js';
export type { SignerIdentity } from './check-identity.js';
export type { VerificationResult, VerifiedTime } from './result.js';
export { IN_TOTO_PAYLOAD_TYPE } from './artifact-signature.js';
export { requiredDigests } from './required-digests.js';
export { checkLogEntry, checkCertificateChain, type LogEntryCheck, type CheckOutcome } from './log-entry-check.js';
