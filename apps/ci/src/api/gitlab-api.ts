import { requestJson, serviceBaseUrl, type HttpOptions } from '@sigil/http-client';
import { CiError } from '../errors.js';

/** Where and as whom to call GitLab's REST API (cosign's GITLAB_HOST and GITLAB_TOKEN). */
export interface GitlabApiOptions {
  /** The instance, `https://gitlab.example.com`; gitlab.com when absent. A trailing `/api/v4` is accepted. */
  host?: string;
  /** A personal, group or project access token with the `api` scope. Never shown. */
  token: string;
  http?: HttpOptions;
}

export interface GitlabApi {
  /** The API root, ending in `/api/v4/`. */
  readonly base: URL;
  /** `secrets`: what the body carries that no error may show (the token always is). */
  call(method: 'GET' | 'POST' | 'PUT', path: string, body?: Record<string, unknown>, secrets?: readonly string[]): Promise<{ status: number; body: unknown }>;
}

// The answers each call interprets itself; anything else is an HTTP error.
const ANSWERED = [200, 201, 204, 400, 401, 403, 404, 409] as const;

export function gitlabApi(options: GitlabApiOptions): GitlabApi {
  if (typeof options?.token !== 'string' || options.token.trim() === '') {
    throw new CiError('CI_GITLAB_TOKEN_MISSING', 'GitLab API: expected an access token in GITLAB_TOKEN, found none', {
      hint: 'Create a token with the api scope (a project or group access token with the Maintainer role) and set GITLAB_TOKEN.',
    });
  }
  const base = apiBase(options.host);
  const { token, http } = options;
  return {
    base,
    async call(method, path, body, secrets = []) {
      const response = await requestJson(new URL(path, base), {
        ...http,
        method,
        body,
        headers: { 'PRIVATE-TOKEN': token },
        expectStatus: ANSWERED,
        redact: [token, ...secrets],
      });
      return { status: response.status, body: response.body };
    },
  };
}

function apiBase(host: string | undefined): URL {
  const base = serviceBaseUrl(host ?? 'https://gitlab.com', 'GitLab host (GITLAB_HOST)');
  if (base.username || base.password) {
    throw new CiError('CI_URL_INVALID', 'GitLab host (GITLAB_HOST): expected a URL without credentials, found user information in it', {
      hint: 'Put the token in GITLAB_TOKEN, not in the URL.',
    });
  }
  // As GitLab's Go client does: the API lives under /api/v4/ of the instance.
  if (!base.pathname.endsWith('/api/v4/')) base.pathname += 'api/v4/';
  return base;
}

/** A project or group reference as the API takes it in a path: a numeric id, or the URL-encoded full path. */
export function encodeReference(reference: string): string {
  return /^\d+$/.test(reference) ? reference : encodeURIComponent(reference);
}
