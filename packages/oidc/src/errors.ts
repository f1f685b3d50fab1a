import { SigilError } from '@sigil/errors';
import { MISSING_TOKEN_HINT } from './hints.js';

export type OidcErrorCode =
  | 'OIDC_TOKEN_MISSING'
  | 'OIDC_TOKEN_FILE_UNREADABLE'
  | 'OIDC_TOKEN_REQUEST_FAILED'
  | 'OIDC_TOKEN_MALFORMED'
  | 'OIDC_AUDIENCE'
  | 'OIDC_EXPIRED'
  | 'OIDC_NOT_YET_VALID'
  | 'OIDC_UNKNOWN_ISSUER'
  | 'OIDC_CLAIM_MISSING'
  | 'OIDC_CLAIM_INVALID'
  | 'OIDC_EMAIL_UNVERIFIED'
  | 'OIDC_GITLAB_CONFIG_NOT_IN_PROJECT'
  | 'OIDC_INVALID_ARGUMENT';

/**
 * Every OidcError says what to change in `hint`. None of them carries the token, in any
 * field: messages show claim values, never the encoded token or its signature.
 */
export class OidcError extends SigilError<OidcErrorCode> {}

/** What a token source throws when it has no token, so that a chain moves on to the next. */
export function missingToken(reason: string): OidcError {
  return new OidcError('OIDC_TOKEN_MISSING', `no identity token: ${reason}`, { hint: MISSING_TOKEN_HINT });
}
