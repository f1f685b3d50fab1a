import { typeOf } from '@sigil/encoding';
import { CiError, IN_GITLAB_JOB_HINT } from './errors.js';

/** A job's variables, as process.env holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

export function checkEnvironment(env: unknown): Environment {
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw new CiError('CI_INVALID_ARGUMENT', `job variables: expected an object such as process.env, found ${typeOf(env)}`);
  }
  return env as Environment;
}

/** A variable's value; unset, empty and non-string values all read as absent, as in a shell. */
export function variable(env: Environment, name: string): string | undefined {
  const value = env[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// Variables every GitLab job has; none of them set means this is not a GitLab job.
const GITLAB_MARKERS = ['GITLAB_CI', 'CI_SERVER_URL', 'CI_PROJECT_PATH', 'CI_JOB_ID'];

/** Throws CI_NOT_GITLAB_JOB or CI_VARIABLE_MISSING unless every name in `required` is set. */
export function requireVariables(env: Environment, required: readonly (string | readonly string[])[]): void {
  if (GITLAB_MARKERS.every((name) => variable(env, name) === undefined)) {
    throw new CiError('CI_NOT_GITLAB_JOB', `no GitLab CI variables are set (${GITLAB_MARKERS.join(', ')}): this must run in a GitLab CI job`, {
      hint: IN_GITLAB_JOB_HINT,
    });
  }
  const missing = required
    .filter((names) => (typeof names === 'string' ? [names] : names).every((name) => variable(env, name) === undefined))
    .map((names) => (typeof names === 'string' ? names : names.join(' or ')));
  if (missing.length > 0) {
    throw new CiError('CI_VARIABLE_MISSING', `GitLab CI variables missing: ${missing.join(', ')}; a GitLab job always has them`, {
      details: { missing },
      hint: IN_GITLAB_JOB_HINT,
    });
  }
}
