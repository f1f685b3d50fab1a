import { parseJson, typeOf } from '@sigil/encoding';
import { MAX_TOKEN_LENGTH } from './decode-token.js';
import { missingToken, OidcError } from './errors.js';
import type { Environment, TokenSource } from './token-source.js';

export interface GitHubActionsOptions {
  env?: Environment;
  /** The audience to ask for: `sigstore` for Fulcio. */
  audience?: string;
  timeoutMs?: number;
  /** The fetch to use (tests pass their own). */
  fetch?: typeof fetch;
}

const DESCRIPTION = "GitHub Actions' ID token request";
const PERMISSION_HINT = 'Grant the job `permissions: id-token: write` in the workflow, so that GitHub Actions sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN.';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Asks GitHub Actions for an ID token (ACTIONS_ID_TOKEN_REQUEST_URL with `&audience=`,
 * authorised by ACTIONS_ID_TOKEN_REQUEST_TOKEN). No token when those variables are not set.
 * Neither the request token nor the reply appears in errors.
 */
export function githubActionsTokenSource(options: GitHubActionsOptions = {}): TokenSource {
  const { audience = 'sigstore', timeoutMs = 10_000 } = options;
  return {
    description: DESCRIPTION,
    async getToken() {
      const env = options.env ?? process.env;
      const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
      const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      if (!url || !bearer) throw missingToken(`ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set (not GitHub Actions, or no id-token permission)`);
      const target = requestUrl(url, audience);
      const body = await request(target, bearer, timeoutMs, options.fetch ?? fetch);
      let reply: unknown;
      try {
        reply = parseJson(body, 'reply');
      } catch {
        throw failed(target, 'the reply is not JSON');
      }
      const value = (reply as { value?: unknown } | null)?.value;
      if (typeof value !== 'string' || value.trim() === '') {
        throw failed(target, `expected a reply {"value": "<token>"}, found value as ${typeOf(value)}`);
      }
      return value.trim();
    },
  };
}

function requestUrl(url: string, audience: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new OidcError('OIDC_TOKEN_REQUEST_FAILED', `${DESCRIPTION}: ACTIONS_ID_TOKEN_REQUEST_URL is not a URL`, { hint: PERMISSION_HINT });
  }
  // The request token is a credential: send it in the clear to this machine only.
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && LOOPBACK_HOSTS.has(target.hostname))) {
    throw new OidcError('OIDC_TOKEN_REQUEST_FAILED', `${DESCRIPTION}: expected an https URL in ACTIONS_ID_TOKEN_REQUEST_URL, found ${target.protocol}`, { hint: PERMISSION_HINT });
  }
  target.searchParams.set('audience', audience);
  return target;
}

async function request(target: URL, bearer: string, timeoutMs: number, fetchImpl: typeof fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(target, {
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const reason = (err as Error | null)?.name === 'TimeoutError' ? `no reply within ${timeoutMs} ms` : 'the connection failed';
    throw failed(target, reason);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw failed(target, `HTTP ${response.status}`, response.status);
  }
  return readBounded(response, target);
}

// A token reply is a few kilobytes: stop reading a larger one rather than buffer it all.
async function readBounded(response: Response, target: URL): Promise<string> {
  const limit = MAX_TOKEN_LENGTH + 1024;
  const reader = response.body?.getReader();
  if (!reader) throw failed(target, 'the reply has no body');
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        throw failed(target, `the reply exceeds ${limit} bytes`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof OidcError) throw err;
    throw failed(target, 'the connection broke while reading the reply');
  }
  return Buffer.concat(chunks).toString('utf8');
}

function failed(target: URL, reason: string, status?: number): OidcError {
  return new OidcError('OIDC_TOKEN_REQUEST_FAILED', `${DESCRIPTION} to ${target.host} failed: ${reason}`, {
    details: status === undefined ? { host: target.host } : { host: target.host, status },
    hint: status === 401 || status === 403 || status === 404 ? PERMISSION_HINT : 'Retry the job; if it keeps failing, GitHub Actions may be having trouble issuing tokens.',
  });
}
