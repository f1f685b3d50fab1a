// @sigil/fulcio: Fulcio API v2 client: signing certificates from a public key and proof of
// possession, or from a PKCS#10 request; the trust bundle and configuration.
export { FulcioError, type FulcioErrorCode } from './errors.js';
export {
  createFulcioClient,
  type FulcioClient,
  type FulcioClientOptions,
  type SigningCertificateRequest,
  type CsrSigningCertificateRequest,
} from './fulcio-client.js';
export type { SigningCertificate } from './signing-certificate.js';
export type { FulcioConfiguration, FulcioIssuer } from './configuration.js';
export {
  createCertificationRequest,
  type CertificationRequestOptions,
  type CertificationRequestResult,
} from './certification-request.js';
