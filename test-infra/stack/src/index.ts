// @sigil/stack: the local Sigstore instance, in process: a Fulcio-shaped CA with a CT log,
// a Rekor v1 log, GitLab claim mapping, and the bundles and trusted root they make.
export { StackError, type StackErrorCode } from './errors.js';
export { generateSigningKey, signSha256Digest, type SigningKey, type Curve } from './keys.js';
export { createCertificateAuthority, type CertificateAuthority, type CertificateAuthorityOptions, type LeafRequest, type ValidityWindow } from './certificate-authority.js';
export type { FulcioExtensionValues, SanType } from './extensions.js';
export { createCtLog, type CtLog, type CtLogOptions } from './ct-log.js';
export { precertificateSignedData, encodeSct, encodeSctList, type PrecertificateEntry } from './sct.js';
export {
  createTransparencyLog,
  type TransparencyLog,
  type TransparencyLogOptions,
  type LogEntry,
  type InclusionProof,
  type SignedTreeHead,
} from './transparency-log.js';
export { toRekorResponse, toBundleEntry } from './log-entry-forms.js';
export { gitlabClaimsToFulcio, defaultGitlabClaims, type GitlabClaims, type GitlabClaimsOptions, type GitlabMappingOptions, type FulcioIdentity } from './gitlab.js';
export { buildTrustedRoot, type LogKey, type TrustedRootParts, type TimestampAuthorityPart } from './trusted-root.js';
export {
  createVirtualSigstore,
  type VirtualSigstore,
  type VirtualSigstoreOptions,
  type SigningIdentity,
  type SignBlobRequest,
  type SignDsseRequest,
} from './virtual-sigstore.js';
export { createStack, type Stack, type StackOptions, type StackDescription } from './stack/create-stack.js';
export { localServer, sendRawJson, type LocalServer } from './http/index.js';
