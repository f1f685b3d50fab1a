// The local OpenID Connect issuer: discovery, JWKS and a minting endpoint for tests and demos.
export { createOidcIssuer, type OidcIssuer, type OidcIssuerOptions } from './oidc-issuer.js';
export { TOKEN_KINDS, type MintOptions, type TokenKind } from './token-claims.js';
