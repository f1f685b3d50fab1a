// Verifies an OIDC identity token the way Fulcio does (PROTOCOLS.md 1.3): issuer on the
// allow-list, signature against the issuer's JWKS found through its discovery document,
// audience, time window, and the claims the issuer type needs. Each failure names its cause.
import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { describeError } from '@sigil/errors';
import { HttpError } from '../http/index.js';
import { refuse } from './reasons.js';

export type IssuerType = 'gitlab' | 'github' | 'email';

export interface FulcioIssuer {
  /** The issuer URL, equal to the tokens' `iss`. */
  url: string;
  type: IssuerType;
  /**
   * CI issuers: the template's `{url}` (Fulcio's default `https://gitlab.com` or
   * `https://github.com`), written into the source-repository extensions.
   */
  templateUrl?: string;
}

export interface VerifiedToken {
  claims: JWTPayload;
  issuer: FulcioIssuer;
}

export interface TokenVerifierOptions {
  issuers: readonly FulcioIssuer[];
  fetch: typeof fetch;
  /** Allowed clock skew on exp and nbf. */
  clockToleranceSeconds: number;
}

export const AUDIENCE = 'sigstore';
// Asymmetric algorithms only: never `none`, never HS* (a JWKS key is public).
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const MAX_TOKEN_LENGTH = 16 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

export function createTokenVerifier({ issuers, fetch: fetchImpl, clockToleranceSeconds }: TokenVerifierOptions): (token: string) => Promise<VerifiedToken> {
  const byUrl = new Map(issuers.map((issuer) => [issuer.url, issuer]));
  // One JWKS per issuer, found once; a failed discovery is forgotten so the next request retries.
  const keySets = new Map<string, Promise<JWTVerifyGetKey>>();
  const keySetOf = (issuer: FulcioIssuer): Promise<JWTVerifyGetKey> => {
    let keySet = keySets.get(issuer.url);
    if (!keySet) {
      keySet = discoverJwksUri(issuer.url, fetchImpl).then((jwksUri) =>
        createRemoteJWKSet(jwksUri, { timeoutDuration: FETCH_TIMEOUT_MS, [customFetch]: fetchImpl }),
      );
      keySets.set(issuer.url, keySet);
      keySet.catch(() => keySets.delete(issuer.url));
    }
    return keySet;
  };

  return async (token) => {
    const iss = unverifiedIssuer(token);
    const issuer = byUrl.get(iss);
    if (!issuer) {
      refuse('FULCIO_TOKEN_ISSUER_UNKNOWN', `identity token: issuer "${iss}" is not one this Fulcio trusts (expected one of ${[...byUrl.keys()].map((u) => `"${u}"`).join(', ')})`);
    }
    const keySet = await keySetOf(issuer);
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: issuer.url,
        audience: AUDIENCE,
        algorithms: ALGORITHMS,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['iat', 'exp', ...(issuer.type === 'email' ? [] : ['sub'])],
      });
      return { claims: payload, issuer };
    } catch (err) {
      return refuseJoseError(err, token, clockToleranceSeconds);
    }
  };
}

function unverifiedIssuer(token: string): string {
  if (token.length > MAX_TOKEN_LENGTH) refuse('FULCIO_TOKEN_MALFORMED', `identity token: expected at most ${MAX_TOKEN_LENGTH} characters, found ${token.length}`);
  let payload: JWTPayload;
  try {
    decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch (err) {
    refuse('FULCIO_TOKEN_MALFORMED', `identity token: expected a JWT (header.payload.signature, base64url JSON), ${describeError(err)}`);
  }
  if (payload.iss === undefined) refuse('FULCIO_TOKEN_CLAIM_MISSING', 'identity token: missing claim "iss"');
  if (typeof payload.iss !== 'string') refuse('FULCIO_TOKEN_CLAIM_INVALID', `identity token: claim "iss" must be a string, found ${typeof payload.iss}`);
  return payload.iss;
}

/** GET {issuer}/.well-known/openid-configuration: its `issuer` must be the issuer; returns `jwks_uri`. */
async function discoverJwksUri(issuerUrl: string, fetchImpl: typeof fetch): Promise<URL> {
  const url = `${issuerUrl}/.well-known/openid-configuration`;
  const fail = (why: string): never => refuse('FULCIO_ISSUER_DISCOVERY_FAILED', `issuer ${issuerUrl}: discovery at ${url} ${why}`);
  let document: unknown;
  try {
    const response = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!response.ok) fail(`answered HTTP ${response.status}`);
    document = await response.json();
  } catch (err) {
    if (err instanceof HttpError) throw err;
    fail(`failed: ${describeError(err)}`);
  }
  const { issuer, jwks_uri: jwksUri } = (document ?? {}) as Record<string, unknown>;
  if (issuer !== issuerUrl) fail(`names issuer ${JSON.stringify(issuer)}, expected "${issuerUrl}"`);
  let jwks: URL | undefined;
  try {
    jwks = new URL(String(jwksUri));
  } catch {
    // reported below
  }
  if (typeof jwksUri !== 'string' || !jwks || (jwks.protocol !== 'https:' && jwks.protocol !== 'http:')) fail(`has no usable jwks_uri (found ${JSON.stringify(jwksUri)})`);
  return jwks!;
}

function refuseJoseError(err: unknown, token: string, skew: number): never {
  if (!(err instanceof errors.JOSEError)) {
    if (err instanceof HttpError) throw err;
    refuse('FULCIO_ISSUER_DISCOVERY_FAILED', `identity token: the issuer's keys could not be read: ${describeError(err)}`);
  }
  const now = new Date();
  if (err instanceof errors.JWTExpired) {
    refuse('FULCIO_TOKEN_EXPIRED', `identity token: expired at ${isoTime(err.payload.exp)} (now ${now.toISOString()}, allowed skew ${skew}s)`);
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason, payload } = err;
    if (reason === 'missing') refuse('FULCIO_TOKEN_CLAIM_MISSING', `identity token: missing claim "${claim}"`);
    if (claim === 'nbf' && reason === 'check_failed') {
      refuse('FULCIO_TOKEN_NOT_YET_VALID', `identity token: not valid before ${isoTime(payload.nbf)} (now ${now.toISOString()}, allowed skew ${skew}s)`);
    }
    if (claim === 'aud') refuse('FULCIO_TOKEN_AUDIENCE', `identity token: audience ${JSON.stringify(payload.aud)} does not include "${AUDIENCE}"`);
    refuse('FULCIO_TOKEN_CLAIM_INVALID', `identity token: claim "${claim}" is invalid (${err.message})`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    refuse('FULCIO_TOKEN_SIGNATURE_INVALID', `identity token: the signature does not verify with the issuer's key ${describeKid(token)}`);
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    refuse('FULCIO_TOKEN_KEY_UNKNOWN', `identity token: the issuer's JWKS has no single key for ${describeKid(token)} (${err.message})`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    refuse('FULCIO_TOKEN_ALGORITHM', `identity token: algorithm ${JSON.stringify(headerOf(token).alg)} is not allowed (expected one of ${ALGORITHMS.join(', ')})`);
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) {
    refuse('FULCIO_TOKEN_MALFORMED', `identity token: ${err.message}`);
  }
  refuse('FULCIO_ISSUER_DISCOVERY_FAILED', `identity token: the issuer's JWKS could not be used: ${err.message}`);
}

function headerOf(token: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function describeKid(token: string): string {
  const { kid, alg } = headerOf(token);
  return `kid ${JSON.stringify(kid)}, alg ${JSON.stringify(alg)}`;
}

function isoTime(seconds: unknown): string {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : String(seconds);
}
