import { SigilError } from '@sigil/errors';

export type CiErrorCode =
  /** No GitLab CI variables at all: this is not running in a GitLab job. */
  | 'CI_NOT_GITLAB_JOB'
  /** Some predefined variables a GitLab job always has are missing (details.missing lists them). */
  | 'CI_VARIABLE_MISSING'
  /** A project path (`--gitlab-project`, CI_PROJECT_PATH) that GitLab would not accept. */
  | 'CI_PROJECT_INVALID'
  /** A ref, branch or tag name that is not a git ref GitLab could build. */
  | 'CI_REF_INVALID'
  /** More than one of ref, branch and tag was given. */
  | 'CI_REF_CONFLICT'
  /** A GitLab URL that is not https (or plain http to a loopback host), or has credentials, a query or a fragment. */
  | 'CI_URL_INVALID'
  /** A CI config path that cannot name a file in the project's repository. */
  | 'CI_CONFIG_PATH_INVALID'
  /** SIGSTORE_ID_TOKEN is not a signed JWT. */
  | 'CI_TOKEN_MALFORMED'
  /** The token's iss or ci_config_ref_uri claim is not what GitLab writes. */
  | 'CI_TOKEN_CLAIM_INVALID'
  /** GitLab's REST API: no GITLAB_TOKEN. */
  | 'CI_GITLAB_TOKEN_MISSING'
  /** GitLab's REST API refused the token (401) or its rights (403). */
  | 'CI_GITLAB_UNAUTHORIZED'
  | 'CI_GITLAB_FORBIDDEN'
  /** No such project or group (or the token cannot see it). */
  | 'CI_GITLAB_NOT_FOUND'
  /** A CI/CD variable a key reference needs is not there. */
  | 'CI_GITLAB_VARIABLE_MISSING'
  /** A CI/CD variable to create exists already; nothing is overwritten. */
  | 'CI_GITLAB_VARIABLE_EXISTS'
  /** The password cannot be masked in job logs by GitLab's rules. */
  | 'CI_GITLAB_PASSWORD_NOT_MASKABLE'
  /** GitLab answered something its API does not. */
  | 'CI_GITLAB_ANSWER_INVALID'
  /** A function was called with arguments of the wrong type. */
  | 'CI_INVALID_ARGUMENT';

/** What @sigil/ci throws. Messages name the variable or option, what was expected and what was found; never the token. */
export class CiError extends SigilError<CiErrorCode> {}

export const IN_GITLAB_JOB_HINT =
  'Run this inside a GitLab CI job, where GitLab sets CI_SERVER_URL, CI_PROJECT_PATH, CI_CONFIG_PATH and the commit ref variables.';
