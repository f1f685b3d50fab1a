import { encodeBase64, utf8Encode } from '@sigil/encoding';
import { requestRaw, urlOrigin, type HttpOptions } from '@sigil/http-client';
import { OciError } from '../errors.js';
import { isObject, jsonOf } from '../json-bytes.js';
import type { RegistryCredentials } from '../credentials/credentials.js';
import { httpFailure } from '../transport/http-failure.js';
import { statusError } from '../transport/registry-error.js';
import { checkServerUrl } from '../transport/registry-url.js';

export interface BearerToken {
  value: string;
  /** Date.now() after which it is fetched again. */
  expiresAt: number;
}

export interface TokenRequest {
  realm: string;
  service?: string;
  scopes: readonly string[];
  credentials: RegistryCredentials | undefined;
  allowInsecure: boolean;
  http: HttpOptions;
  userAgent: string;
  secrets: readonly string[];
}

const MAX_TOKEN_RESPONSE = 64 * 1024;
const MAX_TOKEN_LENGTH = 16 * 1024;
// The token spec: an expires_in below 60 s (or none) is taken as 60 s.
const MIN_LIFETIME_S = 60;
// Fetched again a little early, so a token does not expire between cache and use.
const EARLY_S = 10;

/**
 * The distribution token flow: GET the challenge's realm with `service` and `scope`, with
 * Basic credentials when there are some (anonymous otherwise), and read `token` or
 * `access_token`. The realm must be https (or loopback http when allowed): Basic
 * credentials are never sent in the clear.
 */
export async function fetchBearerToken(request: TokenRequest): Promise<BearerToken> {
  const url = realmUrl(request.realm);
  checkServerUrl(url, request.allowInsecure, 'token realm');
  if (request.service !== undefined) url.searchParams.set('service', request.service);
  for (const scope of request.scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': request.userAgent };
  const { credentials } = request;
  if (credentials !== undefined) headers.authorization = basicAuthorization(credentials);
  const what = `token from ${url.origin}${url.pathname}`;
  let response;
  try {
    response = await requestRaw(url, { ...request.http, headers, maxResponseBytes: MAX_TOKEN_RESPONSE, redact: request.secrets });
  } catch (err) {
    throw httpFailure(err, what);
  }
  if (response.status === 401 || response.status === 403) {
    const refused = statusError(response, what, request.secrets);
    throw new OciError(credentials === undefined ? 'OCI_AUTH_REQUIRED' : 'OCI_AUTH_FAILED', refused.message, {
      details: { ...refused.details, credentialSource: sourceOf(credentials) },
      hint: credentials === undefined ? NO_CREDENTIALS_HINT : 'The token server refused the credentials: check the user name and password.',
    });
  }
  if (response.status !== 200) throw statusError(response, what, request.secrets);
  return readToken(response.body, what);
}

export const NO_CREDENTIALS_HINT =
  'The registry wants credentials: pass --registry-username and --registry-password, log in with docker login, or in GitLab CI use the job registry (CI_REGISTRY).';

export function basicAuthorization({ username, password }: RegistryCredentials): string {
  return `Basic ${encodeBase64(utf8Encode(`${username}:${password}`))}`;
}

export function sourceOf(credentials: RegistryCredentials | undefined): string {
  if (credentials === undefined) return 'anonymous';
  const source = (credentials as { source?: unknown }).source;
  return typeof source === 'string' ? source : 'caller';
}

function realmUrl(realm: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(realm);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    // Not echoed: the registry writes the realm, maybe after it has seen the credentials.
    const found = url === undefined ? 'text that is not a URL' : url.username !== '' || url.password !== '' ? `user info in ${urlOrigin(url)}` : 'a scheme other than http(s)';
    throw new OciError('OCI_AUTH_CHALLENGE_INVALID', `token realm: expected an absolute http(s) URL without user info, found ${found}`);
  }
  return url;
}

function readToken(body: Uint8Array, what: string): BearerToken {
  const read = jsonOf(body, 'service response');
  if ('refused' in read) throw invalidToken(what, read.refused, read.cause);
  const { value } = read;
  if (!isObject(value)) throw invalidToken(what, `expected a JSON object, found ${body.length} bytes that are not one`);
  const { token, access_token: accessToken, expires_in: expiresIn } = value;
  const chosen = typeof token === 'string' && token !== '' ? token : accessToken;
  if (typeof chosen !== 'string' || chosen === '') throw invalidToken(what, 'expected a non-empty token or access_token string, found none');
  // It goes into a header: visible ASCII only, bounded.
  if (chosen.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(chosen)) {
    throw invalidToken(what, `expected a token of at most ${MAX_TOKEN_LENGTH} visible ASCII characters, found ${chosen.length} characters that are not`);
  }
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0)) {
    throw invalidToken(what, 'expected expires_in to be a non-negative number of seconds');
  }
  const lifetime = Math.max(MIN_LIFETIME_S, typeof expiresIn === 'number' ? expiresIn : 0);
  return { value: chosen, expiresAt: Date.now() + (lifetime - EARLY_S) * 1000 };
}

function invalidToken(what: string, reason: string, cause?: unknown): OciError {
  return new OciError('OCI_TOKEN_INVALID', `${what}: ${reason}`, { cause, hint: 'The registry token server answered something else than a token.' });
}
