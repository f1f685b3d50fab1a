import { typeOf } from '@sigil/encoding';
import { CiError } from '../errors.js';
import { checkNamespacePath } from '../gitlab-names.js';
import { encodeReference, type GitlabApi } from './gitlab-api.js';

/** A project or group that holds CI/CD variables. */
export interface VariableOwner {
  kind: 'project' | 'group';
  /** As the user wrote it: `group/project`, `group/subgroup` or a numeric id. */
  reference: string;
}

export interface NewVariable {
  key: string;
  value: string;
  /** Only jobs on protected branches and tags see it. */
  protected: boolean;
  /** GitLab hides the value in job logs; the value must meet GitLab's masking rules. */
  masked: boolean;
  description?: string;
}

/** Is it a project or a group? Projects first, as cosign asks (the common case). */
export async function findVariableOwner(api: GitlabApi, reference: string): Promise<VariableOwner> {
  checkReference(reference);
  const encoded = encodeReference(reference);
  for (const kind of ['project', 'group'] as const) {
    // Only the status is read. A group's answer embeds up to 100 of its projects and those
    // shared with it unless asked not to (with_projects: deprecated, still honoured).
    const { status } = await api.call('GET', kind === 'group' ? `groups/${encoded}?with_projects=false` : `projects/${encoded}`);
    if (status === 200) return { kind, reference };
    failOnAuth(status, `looking up ${kind} ${reference}`);
  }
  throw new CiError('CI_GITLAB_NOT_FOUND', `GitLab: ${JSON.stringify(reference)} is neither a project nor a group at ${api.base.origin} (or the token cannot see it)`, {
    hint: 'Check the path (group/project), GITLAB_HOST for a self-managed instance, and that the token has access.',
  });
}

/** The value of one CI/CD variable of a project or group. */
export async function readVariable(api: GitlabApi, owner: VariableOwner, key: string): Promise<string> {
  const { status, body } = await api.call('GET', `${owner.kind}s/${encodeReference(owner.reference)}/variables/${encodeURIComponent(key)}`);
  failOnAuth(status, `reading ${key} of ${owner.kind} ${owner.reference}`);
  if (status === 409) {
    throw new CiError('CI_GITLAB_ANSWER_INVALID', `GitLab: ${owner.kind} ${owner.reference} has several CI/CD variables named ${key} (one per environment scope); which one to use is ambiguous`, {
      hint: 'Keep one variable of that name with the environment scope *.',
    });
  }
  if (status === 404) {
    throw new CiError('CI_GITLAB_VARIABLE_MISSING', `GitLab: ${owner.kind} ${owner.reference} has no CI/CD variable ${key}`, {
      hint: `Create the key pair there first: sigil generate-key-pair gitlab://${owner.reference}`,
    });
  }
  const value = status === 200 && isRecord(body) ? body.value : undefined;
  if (typeof value !== 'string') {
    throw new CiError('CI_GITLAB_ANSWER_INVALID', `GitLab: reading ${key} of ${owner.kind} ${owner.reference}: expected HTTP 200 with a string value, found HTTP ${status} with ${typeOf(value)}`);
  }
  return value;
}

/**
 * Creates a variable; an existing one of that name is an error, never overwritten. Its value (a
 * password, a private key) is blanked out of any error, should a server echo the request: as
 * sent, and as it reads inside the JSON body (a PEM's newlines escaped).
 */
export async function createVariable(api: GitlabApi, owner: VariableOwner, variable: NewVariable): Promise<void> {
  const { status, body } = await api.call('POST', `${owner.kind}s/${encodeReference(owner.reference)}/variables`, {
    key: variable.key,
    value: variable.value,
    variable_type: 'env_var',
    protected: variable.protected,
    masked: variable.masked,
    raw: true,
    environment_scope: '*',
    ...(variable.description ? { description: variable.description } : {}),
  }, [variable.value, JSON.stringify(variable.value).slice(1, -1)]);
  failOnAuth(status, `creating ${variable.key} in ${owner.kind} ${owner.reference}`);
  if (status === 201) return;
  if (status === 400 && /already been taken/.test(JSON.stringify(isRecord(body) ? body.message : ''))) {
    throw new CiError('CI_GITLAB_VARIABLE_EXISTS', `GitLab: ${owner.kind} ${owner.reference} already has a CI/CD variable ${variable.key}; nothing was overwritten`, {
      hint: 'Delete COSIGN_PRIVATE_KEY, COSIGN_PUBLIC_KEY and COSIGN_PASSWORD there first if you mean to replace the key pair (signatures made with the old key then verify only with the old cosign.pub).',
    });
  }
  throw new CiError('CI_GITLAB_ANSWER_INVALID', `GitLab: creating ${variable.key} in ${owner.kind} ${owner.reference}: expected HTTP 201, found HTTP ${status}${status === 400 ? ` (${describeMessage(body)})` : ''}`);
}

function failOnAuth(status: number, doing: string): void {
  if (status === 401) {
    throw new CiError('CI_GITLAB_UNAUTHORIZED', `GitLab: ${doing}: the token was refused (HTTP 401)`, { hint: 'Check GITLAB_TOKEN: it may be expired or revoked.' });
  }
  if (status === 403) {
    throw new CiError('CI_GITLAB_FORBIDDEN', `GitLab: ${doing}: the token may not do this (HTTP 403)`, {
      hint: 'CI/CD variables need the Maintainer role (Owner for groups) and a token with the api scope.',
    });
  }
}

// Field names only: a 400 body of GitLab's echoes what was sent, which may be a secret.
function describeMessage(body: unknown): string {
  const message = isRecord(body) ? body.message : undefined;
  return isRecord(message) ? `invalid ${Object.keys(message).slice(0, 5).join(', ')}` : 'rejected';
}

function checkReference(reference: string): void {
  if (typeof reference !== 'string' || !/^\d+$/.test(reference)) checkNamespacePath(reference, 'GitLab project or group');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
