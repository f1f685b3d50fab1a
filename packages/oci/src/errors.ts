import { SigilError } from '@sigil/errors';

export type OciErrorCode =
  | 'OCI_REFERENCE_INVALID'
  | 'OCI_INPUT_INVALID'
  | 'OCI_INSECURE_REFUSED'
  | 'OCI_CREDENTIALS_INVALID'
  | 'OCI_CREDENTIALS_UNSUPPORTED'
  | 'OCI_CREDENTIALS_HELPER_FAILED'
  | 'OCI_AUTH_REQUIRED'
  | 'OCI_AUTH_FAILED'
  | 'OCI_AUTH_CHALLENGE_INVALID'
  | 'OCI_TOKEN_INVALID'
  | 'OCI_NOT_FOUND'
  | 'OCI_DIGEST_MISMATCH'
  | 'OCI_TOO_LARGE'
  | 'OCI_MEDIA_TYPE_UNSUPPORTED'
  | 'OCI_MANIFEST_INVALID'
  | 'OCI_RESPONSE_INVALID'
  | 'OCI_REDIRECT_INVALID'
  | 'OCI_REGISTRY_ERROR'
  | 'OCI_TIMEOUT'
  | 'OCI_NETWORK';

/**
 * Errors from the registry client. No password, token or Authorization header appears in
 * any field; what a registry says about itself is cut short and cleaned before it is shown.
 */
export class OciError extends SigilError<OciErrorCode> {}
