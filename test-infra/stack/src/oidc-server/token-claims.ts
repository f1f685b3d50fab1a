// The claims the local issuer puts in its tokens: a GitLab CI job (the default), a GitHub
// Actions job, or a person with a verified e-mail address.
import { createHash, randomBytes } from 'node:crypto';
import { encodeHex, typeOf } from '@sigil/encoding';
import { invalid } from '../checks.js';
import { defaultGitlabClaims } from '../gitlab.js';

export type TokenKind = 'gitlab' | 'github' | 'email';
export const TOKEN_KINDS: readonly TokenKind[] = ['gitlab', 'github', 'email'];

export interface MintOptions {
  /** Default `gitlab`. */
  kind?: TokenKind;
  /** Claims laid over the defaults; a claim set to `null` is left out of the token. */
  claims?: Record<string, unknown>;
  /** Seconds from `iat` to `exp`; default 300 (GitLab's five minutes without a job timeout). */
  expiresIn?: number;
  /** `iat`; default now. `nbf` is five seconds earlier, as GitLab writes it. */
  issuedAt?: Date;
  /** GitLab: the host in `ci_config_ref_uri` (so in the certificate's SAN); default the issuer's host. */
  host?: string;
  /** GitLab `group/project`, GitHub `owner/repo`. */
  project?: string;
  /** Short branch or tag name; default `main`. */
  ref?: string;
  refType?: 'branch' | 'tag';
  /** The e-mail token's address; default `developer@example.com`. */
  email?: string;
}

const MAX_LIFETIME_SECONDS = 24 * 3600;

/** The token's payload for `options`, issued by `issuer` (its URL). Throws STACK_INPUT_INVALID. */
export function tokenClaims(issuer: string, options: MintOptions = {}): Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) invalid(`mint options: expected an object, found ${typeOf(options)}`);
  const kind = options.kind ?? 'gitlab';
  if (!TOKEN_KINDS.includes(kind)) invalid(`token kind: expected one of ${TOKEN_KINDS.join(', ')}, found ${JSON.stringify(kind)}`);
  const overrides = options.claims ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) invalid(`token claims: expected an object, found ${typeOf(overrides)}`);
  const lifetime = options.expiresIn ?? 300;
  if (!Number.isSafeInteger(lifetime) || lifetime <= 0 || lifetime > MAX_LIFETIME_SECONDS) {
    invalid(`token expiresIn: expected whole seconds from 1 to ${MAX_LIFETIME_SECONDS}, found ${String(lifetime)}`);
  }
  const issuedAt = options.issuedAt ?? new Date();
  if (!(issuedAt instanceof Date) || Number.isNaN(issuedAt.getTime())) invalid(`token issuedAt: expected a valid Date, found ${typeOf(issuedAt)}`);
  for (const key of ['host', 'project', 'ref', 'email'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) invalid(`token ${key}: expected a non-empty string, found ${typeOf(value)}`);
  }
  if (options.refType !== undefined && options.refType !== 'branch' && options.refType !== 'tag') {
    invalid(`token refType: expected "branch" or "tag", found ${JSON.stringify(options.refType)}`);
  }

  const iat = Math.floor(issuedAt.getTime() / 1000);
  const base = { ...kindClaims(kind, issuer, options, issuedAt), iss: issuer, aud: 'sigstore', iat, nbf: iat - 5, exp: iat + lifetime, jti: encodeHex(randomBytes(16)) };
  const claims: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete claims[key];
    else claims[key] = value;
  }
  return claims;
}

function kindClaims(kind: TokenKind, issuer: string, options: MintOptions, issuedAt: Date): Record<string, unknown> {
  switch (kind) {
    case 'gitlab':
      return defaultGitlabClaims({
        host: options.host ?? new URL(issuer).host,
        issuer,
        issuedAt,
        ...(options.project === undefined ? {} : { project: options.project }),
        ...(options.ref === undefined ? {} : { ref: options.ref }),
        ...(options.refType === undefined ? {} : { refType: options.refType }),
      });
    case 'github':
      return githubClaims(options);
    case 'email':
      return emailClaims(options.email ?? 'developer@example.com');
  }
}

/** A GitHub Actions ID token's claims (docs.github.com, "About security hardening with OpenID Connect"). */
function githubClaims(options: MintOptions): Record<string, unknown> {
  const repository = options.project ?? 'octo-org/octo-repo';
  const owner = repository.includes('/') ? repository.slice(0, repository.indexOf('/')) : invalid(`GitHub repository: expected "owner/repo", found "${repository}"`);
  const refType = options.refType ?? 'branch';
  const ref = `refs/${refType === 'branch' ? 'heads' : 'tags'}/${options.ref ?? 'main'}`;
  const sha = encodeHex(randomBytes(20));
  const workflowRef = `${repository}/.github/workflows/release.yml@${ref}`;
  return {
    sub: `repo:${repository}:ref:${ref}`,
    ref,
    ref_type: refType,
    ref_protected: 'true',
    sha,
    repository,
    repository_id: '690001',
    repository_owner: owner,
    repository_owner_id: '70001',
    repository_visibility: 'public',
    actor: 'octocat',
    actor_id: '583231',
    run_id: '8812345678',
    run_number: '42',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    workflow: 'Release',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: workflowRef,
    job_workflow_sha: sha,
    event_name: 'push',
    head_ref: '',
    base_ref: '',
  };
}

/** A person's token, as Google or Dex issue it: a stable opaque `sub` and a verified address. */
function emailClaims(email: string): Record<string, unknown> {
  return {
    sub: createHash('sha256').update(email).digest('hex').slice(0, 21),
    email,
    email_verified: true,
  };
}
