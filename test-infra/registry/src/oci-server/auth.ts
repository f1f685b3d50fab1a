import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DistributionError } from './distribution-error.js';
import { quote } from './endpoints.js';
import { sendJson } from './respond.js';
import { isRepositoryName } from '../grammar.js';

export interface RegistryAuth {
  kind: 'basic' | 'bearer';
  username: string;
  password: string;
}

export type Action = 'pull' | 'push';

/** The `service` of the bearer challenge and the token endpoint. */
export const TOKEN_SERVICE = 'sigil-test-registry';
const REALM = 'sigil-test-registry';
const TOKEN_LIFETIME_SECONDS = 300;

export interface AuthGate {
  /** Throws a 401 with a challenge unless the request may do `action` on repository `name` (undefined: GET /v2/). */
  authorize(req: IncomingMessage, name: string | undefined, action: Action): void;
  /** GET /token: a token for the scopes asked, to a client with the right Basic credentials. */
  issueToken(req: IncomingMessage, res: ServerResponse, url: URL): void;
}

/** No credentials configured: every request passes. */
export const OPEN_GATE: AuthGate = {
  authorize() {},
  issueToken() {
    throw new Error('the token endpoint is routed only for bearer auth');
  },
};

export function basicGate(auth: RegistryAuth): AuthGate {
  return {
    authorize(req) {
      if (!hasCredentials(req.headers.authorization, auth)) throw unauthorized(`Basic realm="${REALM}"`);
    },
    issueToken: OPEN_GATE.issueToken,
  };
}

/** Docker's token flow: challenge, GET <realm>?service=&scope= with Basic credentials, then `Bearer <token>`. */
export function bearerGate(auth: RegistryAuth, baseUrl: () => string): AuthGate {
  const tokens = new Map<string, { access: Map<string, Set<Action>>; expiresAt: number }>();
  const challenge = (name: string | undefined, error?: string) =>
    `Bearer realm="${baseUrl()}/token",service="${TOKEN_SERVICE}"` +
    (name === undefined ? '' : `,scope="repository:${name}:pull,push"`) +
    (error === undefined ? '' : `,error="${error}"`);
  return {
    authorize(req, name, action) {
      const presented = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (presented === undefined) throw unauthorized(challenge(name));
      const token = tokens.get(presented);
      if (!token || token.expiresAt < Date.now()) throw unauthorized(challenge(name, 'invalid_token'));
      if (name !== undefined && !token.access.get(name)?.has(action)) {
        throw unauthorized(challenge(name, 'insufficient_scope'), `token: no ${action} access to ${name}`);
      }
    },
    issueToken(req, res, url) {
      const service = url.searchParams.get('service');
      if (service !== TOKEN_SERVICE) {
        throw new DistributionError(400, 'UNSUPPORTED', `service: expected ${TOKEN_SERVICE}, found ${service === null ? 'none' : quote(service)}`);
      }
      if (!hasCredentials(req.headers.authorization, auth)) throw unauthorized(`Basic realm="${REALM}"`);
      const access = new Map<string, Set<Action>>();
      for (const scope of url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean)) {
        const [name, actions] = parseScope(scope);
        access.set(name, new Set([...(access.get(name) ?? []), ...actions]));
      }
      const token = randomBytes(32).toString('base64url');
      tokens.set(token, { access, expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000 });
      sendJson(req, res, 200, { token, access_token: token, expires_in: TOKEN_LIFETIME_SECONDS, issued_at: new Date().toISOString() });
    },
  };
}

function parseScope(scope: string): [string, Action[]] {
  const match = /^repository:([^:]+):([a-z*,]+)$/.exec(scope);
  if (!match || !isRepositoryName(match[1]!)) {
    throw new DistributionError(400, 'UNSUPPORTED', `scope: expected repository:<name>:<actions>, found ${quote(scope)}`);
  }
  const asked = match[2]!.split(',');
  const granted = (['pull', 'push'] as const).filter((action) => asked.includes(action) || asked.includes('*'));
  return [match[1]!, granted];
}

/** Compares digests of the credentials, so the comparison's time says nothing about them. */
function hasCredentials(header: string | undefined, auth: RegistryAuth): boolean {
  const encoded = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header ?? '')?.[1];
  if (encoded === undefined) return false;
  const presented = Buffer.from(encoded, 'base64');
  const expected = Buffer.from(`${auth.username}:${auth.password}`, 'utf8');
  return timingSafeEqual(sha256(presented), sha256(expected));
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function unauthorized(challenge: string, message = 'authentication required'): DistributionError {
  return new DistributionError(401, 'UNAUTHORIZED', message, { 'www-authenticate': challenge });
}
