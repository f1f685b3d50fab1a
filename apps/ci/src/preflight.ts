import { checkEnvironment, type Environment, requireVariables, variable } from './environment.js';
import { CiError } from './errors.js';
import { checkGitlabUrl, checkProjectPath } from './gitlab-names.js';
import { layoutProblems } from './layout-problems.js';
import type { Problem } from './problem.js';
import { tokenProblems } from './token-problems.js';

/**
 * Everything that would stop this GitLab job from signing keylessly, found before Fulcio is
 * asked: the ID token (missing, wrong audience, expired or not yet valid, no ci_config_ref_uri)
 * and the pipeline layouts GitLab gives no signing identity (config in another project or at a
 * URL, child pipeline, Auto DevOps, merge request from a fork). Empty when the job can sign.
 */
export function gitlabPreflight(env: Environment, now: Date = new Date()): Problem[] {
  checkEnvironment(env);
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new CiError('CI_INVALID_ARGUMENT', 'GitLab pre-flight: now must be a valid Date');
  }
  requireVariables(env, ['CI_SERVER_URL', 'CI_PROJECT_PATH']);
  const { sanBase } = checkGitlabUrl(variable(env, 'CI_SERVER_URL'), 'CI_SERVER_URL');
  const project = checkProjectPath(variable(env, 'CI_PROJECT_PATH'), 'CI_PROJECT_PATH');
  const job = variable(env, 'CI_JOB_NAME') ?? 'sign';
  return [...tokenProblems(env, job, now), ...layoutProblems(env, job, project, sanBase.slice('https://'.length))];
}
