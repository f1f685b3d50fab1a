// @sigil/bundle: strict codecs for Sigstore bundles v0.1-v0.3, legacy cosign bundles, DSSE
// envelopes, in-toto statements, trusted roots and signing configs.
export { BundleError, type BundleErrorCode, type DocumentName } from './errors.js';
export type {
  Bundle,
  BundleVersion,
  BundleContent,
  VerificationMaterial,
  KeyMaterial,
  MessageDigest,
  Envelope,
  EnvelopeSignature,
  TransparencyLogEntry,
  InclusionProof,
} from './model.js';
export * from './media-types.js';
export { parseBundle } from './bundle/parse-bundle.js';
export { serializeBundle } from './bundle/serialize-bundle.js';
export { preAuthEncoding } from './dsse/pae.js';
export { parseEnvelope, serializeEnvelope } from './dsse/envelope.js';
export { parseStatement, STATEMENT_TYPE_V0_1, STATEMENT_TYPE_V1, type Statement, type StatementType, type Subject } from './statement.js';
export type {
  TrustedRoot,
  TransparencyLogInstance,
  TrustedPublicKey,
  CertificateAuthority,
  TimeRange,
  SigningConfig,
  Service,
  ServiceSelector,
  ServiceConfiguration,
  ClientTrustConfig,
} from './trust/model.js';
export { parseTrustedRoot, serializeTrustedRoot } from './trust/trusted-root.js';
export { parseSigningConfig, serializeSigningConfig } from './trust/signing-config.js';
export { parseClientTrustConfig, serializeClientTrustConfig } from './trust/client-trust-config.js';
