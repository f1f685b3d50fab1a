import { authorizationSecrets, type HttpOptions } from '@sigil/http-client';
import { describeError } from '@sigil/errors';
import { parseAuthChallenges, type AuthChallenge } from '../challenge.js';
import type { CredentialResolver, RegistryCredentials } from '../credentials/credentials.js';
import { OciError } from '../errors.js';
import { basicAuthorization, fetchBearerToken, NO_CREDENTIALS_HINT, sourceOf, type BearerToken } from './token.js';

/** What a request needs access to: scopes are per repository, pull or pull and push. */
export interface AccessScope {
  registry: string;
  repository: string;
  push: boolean;
}

/** The Authorization header to send, and whether it carries the user's credentials. */
export interface Authorization {
  header: string;
  withCredentials: boolean;
}

export interface AuthenticatorOptions {
  credentials: CredentialResolver | RegistryCredentials | undefined;
  /** A bearer token sent as it is to every registry, never exchanged (cosign's --registry-token). */
  registryToken?: string | undefined;
  allowInsecure: boolean;
  http: HttpOptions;
  userAgent: string;
}

interface BearerRealm {
  realm: string;
  service?: string;
}

/**
 * The registry auth state of one client: credentials resolved once per registry (only when
 * a registry asks), the scheme each registry asked for, bearer tokens per registry and
 * scope until they expire. Every password, header and token it handles is listed in
 * `secrets()` so that errors can blank them.
 */
export class Authenticator {
  private readonly resolved = new Map<string, Promise<RegistryCredentials | undefined>>();
  private readonly tokens = new Map<string, BearerToken>();
  private readonly basic = new Set<string>();
  private readonly realms = new Map<string, BearerRealm>();
  private readonly secretValues = new Set<string>();
  private readonly haveCredentials = new Set<string>();

  constructor(private readonly options: AuthenticatorOptions) {}

  secrets(): string[] {
    return [...this.secretValues];
  }

  /** What to send before any challenge, from what this registry's earlier challenges taught. */
  async known(scope: AccessScope): Promise<Authorization | undefined> {
    const given = this.options.registryToken;
    if (given !== undefined) {
      this.secretValues.add(given);
      return { header: `Bearer ${given}`, withCredentials: true };
    }
    if (this.basic.has(scope.registry)) return this.basicFor(scope.registry);
    const keys = scope.push ? [scopeKey(scope, true)] : [scopeKey(scope, false), scopeKey(scope, true)];
    for (const key of keys) {
      const token = this.tokens.get(key);
      if (token !== undefined && token.expiresAt > Date.now()) return this.bearer(token, scope.registry);
    }
    const realm = this.realms.get(scope.registry);
    return realm === undefined ? undefined : this.fetchToken(scope, realm, [scopeString(scope)]);
  }

  /** After a 401: the Authorization to try next. Throws when nothing new can be tried. */
  async answer(scope: AccessScope, header: string | null, refused: Authorization | undefined): Promise<Authorization> {
    // A given token is all there is: a 401 for it is the answer.
    if (this.options.registryToken !== undefined) throw this.refusal(scope, refused);
    if (header === null || header.trim() === '') {
      throw new OciError('OCI_AUTH_CHALLENGE_INVALID', `${scope.registry}: expected a WWW-Authenticate challenge with the 401, found none`);
    }
    const challenges = parseAuthChallenges(header);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    let next: Authorization | undefined;
    if (bearer !== undefined) {
      const realm = realmOf(bearer, scope.registry);
      this.realms.set(scope.registry, realm);
      // The scopes the registry names, and ours: a token is cached for our access, so it must cover it.
      const named = (bearer.params.scope ?? '').split(' ').filter(Boolean);
      next = await this.fetchToken(scope, realm, [...new Set([...named, scopeString(scope)])]);
    } else if (basic !== undefined) {
      this.basic.add(scope.registry);
      next = await this.basicFor(scope.registry);
      if (next === undefined) throw this.refusal(scope, undefined);
    } else {
      throw new OciError('OCI_AUTH_CHALLENGE_INVALID', `${scope.registry}: expected a Basic or Bearer challenge, found ${challenges.map((c) => c.scheme).join(', ')}`);
    }
    if (refused !== undefined && next.header === refused.header) throw this.refusal(scope, next);
    return next;
  }

  /** The error for a registry that still answers 401 (or a token that was refused). */
  refusal(scope: AccessScope, sent: Authorization | undefined): OciError {
    const what = `${scope.registry}/${scope.repository}`;
    const access = scope.push ? 'pull and push' : 'pull';
    if (sent?.withCredentials) {
      return new OciError('OCI_AUTH_FAILED', `${what}: expected the registry to accept the credentials for ${access}, found 401 Unauthorized`, {
        details: { registry: scope.registry, repository: scope.repository, access },
        hint: 'Check the user name and password (or token), and that they may access this repository.',
      });
    }
    return new OciError('OCI_AUTH_REQUIRED', `${what}: expected anonymous ${access} access, found 401 Unauthorized`, {
      details: { registry: scope.registry, repository: scope.repository, access },
      hint: NO_CREDENTIALS_HINT,
    });
  }

  private async basicFor(registry: string): Promise<Authorization | undefined> {
    const credentials = await this.credentialsFor(registry);
    if (credentials === undefined) return undefined;
    const header = basicAuthorization(credentials);
    this.secretValues.add(header.slice('Basic '.length));
    return { header, withCredentials: true };
  }

  private async fetchToken(scope: AccessScope, realm: BearerRealm, scopes: string[]): Promise<Authorization> {
    const credentials = await this.credentialsFor(scope.registry);
    const { allowInsecure, http, userAgent } = this.options;
    const token = await fetchBearerToken({ ...realm, scopes, credentials, allowInsecure, http, userAgent, secrets: this.secrets() });
    this.tokens.set(scopeKey(scope, scope.push), token);
    return this.bearer(token, scope.registry);
  }

  private bearer(token: BearerToken, registry: string): Authorization {
    this.secretValues.add(token.value);
    return { header: `Bearer ${token.value}`, withCredentials: this.haveCredentials.has(registry) };
  }

  private credentialsFor(registry: string): Promise<RegistryCredentials | undefined> {
    let pending = this.resolved.get(registry);
    if (pending === undefined) {
      pending = this.resolve(registry);
      this.resolved.set(registry, pending);
    }
    return pending;
  }

  private async resolve(registry: string): Promise<RegistryCredentials | undefined> {
    const source = this.options.credentials;
    let found: RegistryCredentials | undefined;
    try {
      found = typeof source === 'function' ? await source(registry) : source;
    } catch (err) {
      if (err instanceof OciError) throw err;
      throw new OciError('OCI_CREDENTIALS_INVALID', `credentials for ${registry}: the credential resolver failed (${describeError(err)})`, { cause: err });
    }
    if (found === undefined || found === null) return undefined;
    checkCredentials(found, registry);
    // The password, and every form it travels in (the Basic header to the registry or its token realm).
    this.secretValues.add(found.password);
    for (const secret of authorizationSecrets(basicAuthorization(found))) this.secretValues.add(secret);
    this.haveCredentials.add(registry);
    return found;
  }
}

function checkCredentials(value: RegistryCredentials, registry: string): void {
  const { username, password } = value as { username?: unknown; password?: unknown };
  // Basic auth cannot carry a ':' in the user name; control characters would corrupt the header.
  const bad =
    typeof username !== 'string' || username === '' || username.includes(':') || /[\u0000-\u001f\u007f]/.test(username)
      ? 'the user name'
      : typeof password !== 'string' || password === '' || /[\u0000-\u001f\u007f]/.test(password)
        ? 'the password'
        : undefined;
  if (bad !== undefined) {
    throw new OciError('OCI_CREDENTIALS_INVALID', `credentials for ${registry} (${sourceOf(value)}): ${bad} is missing, empty or has characters Basic auth cannot carry`);
  }
}

function realmOf(challenge: AuthChallenge, registry: string): BearerRealm {
  const { realm, service } = challenge.params;
  if (!realm) throw new OciError('OCI_AUTH_CHALLENGE_INVALID', `${registry}: expected a realm in the Bearer challenge, found none`);
  return service === undefined ? { realm } : { realm, service };
}

function scopeString(scope: AccessScope): string {
  return `repository:${scope.repository}:${scope.push ? 'pull,push' : 'pull'}`;
}

function scopeKey(scope: AccessScope, push: boolean): string {
  return `${scope.registry}\n${scope.repository}\n${push ? 'push' : 'pull'}`;
}
