import { type Environment, variable } from './environment.js';
import { branchRef, checkRefName, tagRef } from './gitlab-names.js';

/** The variables that name the job's ref, in the order GitLab's own choice follows. */
export const REF_VARIABLES = ['CI_COMMIT_TAG', 'CI_COMMIT_BRANCH', 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', 'CI_COMMIT_REF_NAME'] as const;

/**
 * The pipeline's source ref, as GitLab puts it in ci_config_ref_uri: refs/tags/<tag> in a tag
 * pipeline, else refs/heads/<branch> (a merge request pipeline's source branch, whose
 * CI_COMMIT_BRANCH is unset). Undefined when none of the variables is set.
 */
export function jobRef(env: Environment): string | undefined {
  const tag = variable(env, 'CI_COMMIT_TAG');
  if (tag !== undefined) return tagRef(checkRefName(tag, 'CI_COMMIT_TAG'));
  for (const name of REF_VARIABLES.slice(1)) {
    const branch = variable(env, name);
    if (branch !== undefined) return branchRef(checkRefName(branch, name));
  }
  return undefined;
}
