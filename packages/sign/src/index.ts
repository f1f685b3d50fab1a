// @sigil/sign: keyless signing, checked at every step: the bundle it returns verifies.
export { SignError, type SignErrorCode } from './errors.js';
export { signBlob, type SignOptions, type SignResult, type SignStep } from './sign-blob.js';
export { signDsse } from './sign-dsse.js';
export { requestTimestamp } from './timestamp.js';
export type { SignableArtifact } from './artifact.js';
export type { TransparencyLogService } from './transparency-logs.js';
export { selectSigningServices, SUPPORTED_API_VERSIONS, type SelectedServices } from './service-selection.js';
export { signBlobWithKey, signDsseWithKey, publicKeyHint, type KeySignOptions, type KeySignResult } from './sign-with-key.js';
