import { SignJWT, type JWK } from 'jose';
import { sha256 } from '@sigil/crypto';
import { canonicalJson, encodeBase64Url, typeOf, utf8Encode } from '@sigil/encoding';
import { checkString, invalid } from '../checks.js';
import { loadOrCreateSigningKey, stateDirectory } from '../durable-state.js';
import { StackError } from '../errors.js';
import { HttpError, readJson, sendJson, type Route } from '../http/index.js';
import { tokenClaims, type MintOptions } from './token-claims.js';

export interface OidcIssuerOptions {
  /** State directory: the signing key (`signing-key.pem`, PKCS#8, mode 0600). */
  dir: string;
  /** The issuer's URL, the tokens' `iss`: `http://127.0.0.1:PORT/oidc`. Its path prefixes the routes. */
  issuerUrl: string;
}

export interface OidcIssuer {
  readonly routes: Route[];
  readonly issuerUrl: string;
  /** The signing key's `kid` (its RFC 7638 thumbprint). */
  readonly kid: string;
  readonly jwks: { keys: JWK[] };
  readonly discovery: Record<string, unknown>;
  /** A signed ID token (ES256, with `kid`). Throws StackError STACK_INPUT_INVALID for bad options. */
  mint(options?: MintOptions): Promise<string>;
}

const CLAIMS_SUPPORTED = [
  'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti',
  // GitLab CI
  'namespace_id', 'namespace_path', 'project_id', 'project_path', 'user_id', 'user_login', 'user_email', 'user_access_level',
  'pipeline_id', 'pipeline_source', 'job_id', 'ref', 'ref_type', 'ref_path', 'ref_protected', 'environment',
  'environment_protected', 'deployment_tier', 'environment_action', 'runner_id', 'runner_environment', 'sha',
  'project_visibility', 'ci_config_ref_uri', 'ci_config_sha',
  // GitHub Actions
  'repository', 'repository_id', 'repository_owner', 'repository_owner_id', 'repository_visibility', 'actor', 'actor_id',
  'run_id', 'run_number', 'run_attempt', 'workflow', 'workflow_ref', 'workflow_sha', 'job_workflow_ref', 'job_workflow_sha',
  'event_name', 'head_ref', 'base_ref',
  // people
  'email', 'email_verified',
];

// The minting endpoint takes a small JSON body: kind, claims, expiresIn.
const TOKEN_REQUEST_LIMIT = 64 * 1024;

/**
 * An OpenID Connect issuer for the local stack: discovery document, JWKS and a minting
 * endpoint (`POST {path}/token`, body `{kind?, claims?, expiresIn?}` -> `{token}`) for
 * tests and demos. Its ES256 key lives in `dir` and survives restarts.
 */
export function createOidcIssuer(options: OidcIssuerOptions): OidcIssuer {
  const issuerUrl = checkIssuerUrl(options?.issuerUrl);
  const key = loadOrCreateSigningKey(stateDirectory(options.dir)('signing-key.pem'), 'P-256');
  const { kty, crv, x, y } = key.publicKey.export({ format: 'jwk' });
  // RFC 7638: the SHA-256 of the required members in lexicographic order.
  const kid = encodeBase64Url(sha256(utf8Encode(canonicalJson({ crv, kty, x, y }))));
  const jwks = { keys: [{ kty, crv, x, y, kid, use: 'sig', alg: 'ES256' } as JWK] };
  const discovery = {
    issuer: issuerUrl,
    jwks_uri: `${issuerUrl}/jwks`,
    token_endpoint: `${issuerUrl}/token`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
    scopes_supported: ['openid'],
    claims_supported: CLAIMS_SUPPORTED,
  };

  const mint = (mintOptions?: MintOptions): Promise<string> => {
    const claims = tokenClaims(issuerUrl, mintOptions);
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).sign(key.privateKey);
  };

  const prefix = escapeRegExp(new URL(issuerUrl).pathname.replace(/\/$/, ''));
  const routes: Route[] = [
    { method: 'GET', path: new RegExp(`^${prefix}/\\.well-known/openid-configuration$`), handle: ({ res }) => sendJson(res, 200, discovery) },
    { method: 'GET', path: new RegExp(`^${prefix}/jwks$`), handle: ({ res }) => sendJson(res, 200, jwks) },
    {
      method: 'POST',
      path: new RegExp(`^${prefix}/token$`),
      async handle({ req, res }) {
        const body = await readJson(req, TOKEN_REQUEST_LIMIT);
        sendJson(res, 200, { token: await mintFromRequest(body, mint) });
      },
    },
  ];
  return { routes, issuerUrl, kid, jwks, discovery, mint };
}

async function mintFromRequest(body: unknown, mint: (options: MintOptions) => Promise<string>): Promise<string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, `token request: expected a JSON object {kind?, claims?, expiresIn?}, found ${typeOf(body)}`, {}, 'OIDC_REQUEST_INVALID');
  }
  const { kind, claims, expiresIn, ...unknown } = body as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new HttpError(400, `token request: unknown field "${extra[0]}" (expected kind, claims, expiresIn)`, {}, 'OIDC_REQUEST_INVALID');
  try {
    return await mint({ kind, claims, expiresIn } as MintOptions);
  } catch (err) {
    if (err instanceof StackError) throw new HttpError(400, err.message, {}, 'OIDC_REQUEST_INVALID');
    throw err;
  }
}

function checkIssuerUrl(value: unknown): string {
  const text = checkString(value, 'issuerUrl');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    invalid(`issuerUrl: expected an absolute http(s) URL, found "${text}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || text.endsWith('/')) {
    invalid(`issuerUrl: expected an http(s) URL without query, fragment or trailing slash, found "${text}"`);
  }
  return text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
