// @sigil/x509: X.509 certificates: parsing, Fulcio extensions, chain validation at a time, embedded SCTs
export { X509Error, type X509ErrorCode } from './errors.js';
export { parseCertificate, type Certificate, type CertificateExtension } from './certificate.js';
export type { BasicConstraints, KeyUsage, SubjectAltName, SubjectAltNameType } from './standard-extensions.js';
export { verifyCertificateSignature, verifyWithAlgorithm, HASH_OIDS, type SignatureAlgorithm } from './signature.js';
export { verifyCertificatePath, precheckIssuerSignatures, type CertificatePurpose, type PathOptions } from './path.js';
/** For Sigil's embedded trusted roots only (@sigil/trust): skips checking a chain's signatures. Not documented API. */
export { rememberBuiltInChain } from './path.js';
export { verifyEmbeddedScts, type CtLog, type SctResult, type SctStatus, type SctVerification } from './sct.js';
export {
  FULCIO_EXTENSIONS,
  fulcioExtensions,
  findFulcioExtension,
  certificateIdentity,
  type FulcioExtension,
  type FulcioExtensionName,
  type CertificateIdentity,
} from './fulcio.js';
/** The strict DER reader behind parseCertificate, for sibling packages (RFC 3161 tokens); throws der.DerError. */
export * as der from './der.js';
