// @sigil/trust: what a verifier trusts, from the embedded public-good roots or a file.
export { TrustError, type TrustErrorCode } from './errors.js';
export { TrustMaterial, type LogAuthority, type CertificateAuthorityTrust, type TrustPart } from './trust-material.js';
export { publicGoodTrustMaterial, loadTrustMaterialFile, type PublicGoodInstance } from './load.js';
export { isWithin, describeWindow, type ValidityWindow } from './validity.js';
