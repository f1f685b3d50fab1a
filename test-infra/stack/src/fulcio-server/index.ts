// The local Fulcio: API v2 over HTTP, verifying tokens against their issuers' JWKS.
export { createFulcioService, type FulcioService, type FulcioServiceOptions } from './fulcio-service.js';
export type { FulcioIssuer, IssuerType } from './token-verifier.js';
export type { FulcioReason } from './reasons.js';
export { githubClaimsToFulcio, type GithubMappingOptions } from './github.js';
export { loadOrCreateCtLog } from './durable-ca.js';
