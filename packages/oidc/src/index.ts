// @sigil/oidc: identity tokens for keyless signing: where they come from (flag, file,
// SIGSTORE_ID_TOKEN, GitHub Actions), what they claim, and a pre-flight check before Fulcio.
export { OidcError, type OidcErrorCode } from './errors.js';
export { decodeToken, MAX_TOKEN_LENGTH, type DecodedToken } from './decode-token.js';
export { preflight, type PreflightOptions, type PreflightResult } from './preflight.js';
export { issuerTypeOf, GITHUB_ACTIONS_ISSUER, type IssuerType } from './issuer-type.js';
export { GITLAB_ID_TOKENS_BLOCK } from './hints.js';
export type { Claims } from './claims.js';
export {
  staticTokenSource,
  flagTokenSource,
  envTokenSource,
  chainTokenSources,
  defaultTokenSource,
  SIGSTORE_ID_TOKEN,
  type TokenSource,
  type Environment,
  type DefaultTokenSourceOptions,
} from './token-source.js';
export { fileTokenSource } from './token-file.js';
export { githubActionsTokenSource, type GitHubActionsOptions } from './github-actions.js';
