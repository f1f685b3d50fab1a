import { isPrintable } from '@sigil/errors';
import { decodeToken, SIGSTORE_ID_TOKEN } from '@sigil/oidc';
import { type ConfigRefParts, projectOfLocation, splitConfigRefUri } from './config-ref-uri.js';
import { type Environment, variable } from './environment.js';
import { AUTO_DEVOPS_FIX, childPipelineFix, forkMergeRequestFix, includeFix } from './fixes.js';
import { checkPrintableConfigPath, show } from './gitlab-names.js';
import { invalidClaim } from './job-identity.js';
import type { Problem } from './problem.js';

// GitLab's own test for a CI config in another project (Gitlab::Ci::ProjectConfig::ExternalProject):
// `path/to/.gitlab-ci.yml@group/project[:ref]`.
const EXTERNAL_PROJECT_CONFIG = /^.+(yml|yaml)@.+$/s;
// ProjectConfig::Remote: the project's CI config setting is an http(s) URL.
const REMOTE_CONFIG = /^https?:\/\//i;

/**
 * The pipeline layouts GitLab cannot sign from (gitlab-org/gitlab#411317): a CI config in
 * another project or at a URL, a child pipeline, Auto DevOps, a merge request from a fork.
 * `hostPart` is CI_SERVER_URL without its scheme, to read the token's ci_config_ref_uri.
 */
export function layoutProblems(env: Environment, job: string, project: string, hostPart: string): Problem[] {
  const problems: Problem[] = [];
  const configPath = optional(variable(env, 'CI_CONFIG_PATH'), (path) => checkPrintableConfigPath(path, 'CI_CONFIG_PATH'));
  const claim = configRefClaim(env);
  const child = variable(env, 'CI_PIPELINE_SOURCE') === 'parent_pipeline';

  const external = configPath !== undefined && EXTERNAL_PROJECT_CONFIG.test(configPath) ? configPath : undefined;
  const named = claim ? claimedConfig(claim, hostPart, project) : undefined;
  if (external !== undefined) {
    const [file, location = ''] = splitOnce(external, '@');
    const [other, ref] = splitOnce(location, ':');
    problems.push({
      code: 'CI_CONFIG_OTHER_PROJECT',
      message: `CI_CONFIG_PATH is ${show(external)}: the pipeline's configuration is ${file} in another project (${other}), and GitLab gives such jobs no signing identity of their own`,
      fix: includeFix(job, [`  - project: ${other}`, `    file: ${file}`, ...(ref ? [`    ref: ${ref}`] : [])]),
    });
  } else if (named !== undefined && named.project !== project) {
    problems.push({
      code: 'CI_CONFIG_OTHER_PROJECT',
      message: `${SIGSTORE_ID_TOKEN}'s ci_config_ref_uri names the configuration of ${show(named.project)}, not of this project ${show(project)}: signatures would not name this project`,
      fix: includeFix(job, [`  - project: ${named.project}`, `    file: ${named.file}`]),
    });
  } else if (configPath !== undefined && REMOTE_CONFIG.test(configPath)) {
    problems.push({
      code: 'CI_CONFIG_REMOTE',
      message: `CI_CONFIG_PATH is the URL ${show(configPath)}: a configuration fetched from a URL is not in the project, and GitLab gives its jobs no signing identity`,
      fix: includeFix(job, [`  - remote: ${configPath}`]),
    });
  }

  // GitLab versions with the fix for gitlab-org/gitlab#411317 give child pipelines (and, behind a
  // flag, other configuration sources) a ci_config_ref_uri naming the project's own config: a
  // token that carries one can sign, so these layouts are problems only without it.
  const signable = claim !== undefined;
  if (child && !signable) {
    problems.push({
      code: 'CI_CHILD_PIPELINE',
      message: `CI_PIPELINE_SOURCE is parent_pipeline: this job runs in a child pipeline, and ${SIGSTORE_ID_TOKEN} ${variable(env, SIGSTORE_ID_TOKEN) ? 'has no ci_config_ref_uri' : 'is not set'}: GitLab (before its fix for issue 411317) gives child pipelines no signing identity`,
      fix: childPipelineFix(job),
    });
  }

  const autoDevopsEnabled = variable(env, 'AUTO_DEVOPS_EXPLICITLY_ENABLED') === '1';
  const notFromRepository = configPath === undefined || /auto-devops/i.test(configPath);
  if (!child && external === undefined && !signable && (notFromRepository || autoDevopsEnabled)) {
    problems.push({
      code: 'CI_AUTO_DEVOPS',
      message:
        configPath === undefined
          ? "CI_CONFIG_PATH is empty: GitLab sets it only when the pipeline's configuration is a file in the project, so Auto DevOps (or another configuration source) runs this pipeline"
          : `this looks like an Auto DevOps pipeline (CI_CONFIG_PATH ${show(configPath)}, AUTO_DEVOPS_EXPLICITLY_ENABLED ${autoDevopsEnabled ? '1' : 'unset'}, no ID token with ci_config_ref_uri), whose jobs cannot declare id_tokens`,
      fix: AUTO_DEVOPS_FIX,
    });
  }

  const source = variable(env, 'CI_MERGE_REQUEST_SOURCE_PROJECT_PATH');
  const target = variable(env, 'CI_MERGE_REQUEST_PROJECT_PATH') ?? project;
  const sourceId = variable(env, 'CI_MERGE_REQUEST_SOURCE_PROJECT_ID');
  const targetId = variable(env, 'CI_MERGE_REQUEST_PROJECT_ID');
  const fromFork = source !== undefined ? source !== target : sourceId !== undefined && targetId !== undefined && sourceId !== targetId;
  if (fromFork) {
    problems.push({
      code: 'CI_FORK_MERGE_REQUEST',
      message: `this merge request pipeline comes from a fork (${source !== undefined ? `source project ${show(source)}, target ${show(target)}` : `source project id ${sourceId}, target ${targetId}`}): its jobs cannot sign as the target project`,
      fix: forkMergeRequestFix(job),
    });
  }
  return problems;
}

/** The token's ci_config_ref_uri split into its parts, if the token decodes and has one; token problems are reported elsewhere. */
function configRefClaim(env: Environment): ConfigRefParts | undefined {
  const token = variable(env, SIGSTORE_ID_TOKEN)?.trim();
  if (!token) return undefined;
  let claim: unknown;
  try {
    claim = decodeToken(token).claims.ci_config_ref_uri;
  } catch {
    return undefined;
  }
  if (typeof claim !== 'string') return undefined;
  if (!isPrintable(claim)) invalidClaim('ci_config_ref_uri', claim);
  return splitConfigRefUri(claim);
}

function optional<T>(value: T | undefined, check: (value: T) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

/**
 * The project and file whose configuration the claim names. GitLab's fallback for a config
 * in another project keeps this project's location and writes the config as `file@group/project`.
 */
function claimedConfig(claim: ConfigRefParts, hostPart: string, project: string): { project: string; file: string } {
  if (EXTERNAL_PROJECT_CONFIG.test(claim.configPath)) {
    const [file, location = ''] = splitOnce(claim.configPath, '@');
    const other = splitOnce(location, ':')[0];
    if (other) return { project: other, file };
  }
  return { project: projectOfLocation(claim.location, hostPart, project), file: claim.configPath };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
