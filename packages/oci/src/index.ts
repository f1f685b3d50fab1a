// @sigil/oci: OCI distribution client: image references, registry auth (Basic, bearer
// tokens, docker config, GitLab CI), manifests, blobs, tags and OCI 1.1 referrers.
export { OciError, type OciErrorCode } from './errors.js';
export { parseImageReference, referenceTo, type ImageReference } from './reference.js';
export { parseAuthChallenges, type AuthChallenge } from './challenge.js';
export type { CredentialResolver, CredentialSource, RegistryCredentials, ResolvedCredentials } from './credentials/credentials.js';
export { createCredentialResolver, resolveCredentials, type CredentialOptions } from './credentials/resolver.js';
export { createRegistryClient, CLIENT_DEFAULTS, type RegistryClient, type RegistryClientOptions, type ReadLimits } from './client.js';
export type { ImageTarget } from './operations/context.js';
export type { Manifest, PutManifestResult } from './operations/manifests.js';
export type { PushBlobOptions } from './operations/blobs.js';
export { referrersTag, type Referrers, type ReferrersVia, type ListReferrersOptions } from './operations/referrers.js';
export { parseDescriptor, type Descriptor } from './descriptor.js';
export { digestOf } from './digest.js';
export { OCI_MANIFEST, OCI_INDEX, OCI_EMPTY, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, MANIFEST_MEDIA_TYPES } from './media-types.js';
// cosign-compatible image signatures, on top of the client.
export { ImageSignatureError, type ImageSignatureErrorCode } from './signatures/errors.js';
export { signImage, type SignImageOptions, type SignedImage, type SignatureFormat } from './signatures/sign-image.js';
export { verifyImage, type VerifyImageOptions, type ImageVerification, type VerifiedImageSignature } from './signatures/verify-image.js';
export type { CandidateFailure } from './signatures/stored-signatures.js';
export { simpleSigningPayload, parseSimpleSigningPayload, SIMPLE_SIGNING_TYPE, type SimpleSigningClaims } from './signatures/simple-signing.js';
export { signatureTag } from './signatures/sig-manifest.js';
export { goJsonString } from './signatures/go-json.js';
export { COSIGN_SIGN_PREDICATE_TYPE } from './signatures/cosign-statement.js';
export { attestImage, type AttestImageOptions, type AttestedImage } from './signatures/attest-image.js';
export { verifyImageAttestations, type VerifyAttestationsOptions, type AttestationVerification, type VerifiedAttestation } from './signatures/verify-attestations.js';
export type { VerifiedBundle } from './signatures/verify-image.js';
