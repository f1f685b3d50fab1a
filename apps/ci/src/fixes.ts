// The .gitlab-ci.yml changes that fix each layout the pre-flight finds. `job` is the job's own
// name (CI_JOB_NAME), so that the snippet can be pasted over it.
import { printable } from '@sigil/errors';

const ID_TOKENS = ['  id_tokens:', '    SIGSTORE_ID_TOKEN:', '      aud: sigstore'];

/** A job name as a YAML mapping key. */
export function yamlKey(name: string): string {
  // A double-quoted YAML scalar reads JSON's escapes, and the \uXXXX that hide bidi controls.
  return /^[A-Za-z0-9_][A-Za-z0-9_./ -]*$/.test(name) && !name.endsWith(' ') ? name : printable(JSON.stringify(name));
}

export function idTokensFix(job: string): string {
  return [`# .gitlab-ci.yml of this project, in the job that signs:`, `${yamlKey(job)}:`, ...ID_TOKENS].join('\n');
}

export function audienceFix(job: string, found: string): string {
  return [`# .gitlab-ci.yml: the token's audience must be sigstore (it is ${printable(found)}):`, `${yamlKey(job)}:`, ...ID_TOKENS].join('\n');
}

export function expiredFix(job: string): string {
  return [
    "# GitLab ID tokens expire with the job's timeout (5 minutes without one): sign soon after the",
    '# job starts, or give the job a longer timeout:',
    `${yamlKey(job)}:`,
    '  timeout: 30 minutes',
  ].join('\n');
}

export const CLOCK_FIX =
  "# No .gitlab-ci.yml change fixes this: the runner's clock is behind GitLab's. Sync it (NTP),\n# or retry the job on another runner.";

export function ownConfigFix(job: string): string {
  return [
    "# Sign in a job of this project's own .gitlab-ci.yml, the pipeline's configuration file",
    '# (Settings > CI/CD > General pipelines > CI/CD configuration file: .gitlab-ci.yml):',
    `${yamlKey(job)}:`,
    ...ID_TOKENS,
    '# On a self-managed GitLab that still leaves ci_config_ref_uri out here, upgrade it (gitlab-org/gitlab#411317).',
  ].join('\n');
}

export function foreignTokenFix(job: string): string {
  return [
    '# Use the token GitLab issues to this job, not a CI/CD variable named SIGSTORE_ID_TOKEN:',
    `${yamlKey(job)}:`,
    ...ID_TOKENS,
  ].join('\n');
}

export function includeFix(job: string, include: string[]): string {
  return [
    "# Make this project's own .gitlab-ci.yml the pipeline configuration again",
    '# (Settings > CI/CD > General pipelines > CI/CD configuration file: .gitlab-ci.yml),',
    '# include the shared configuration from it, and declare the token there:',
    'include:',
    ...include,
    `${yamlKey(job)}:`,
    ...ID_TOKENS,
  ].join('\n');
}

export function childPipelineFix(job: string): string {
  return [
    "# Child pipelines cannot sign: move the signing job into this project's .gitlab-ci.yml",
    '# (the parent pipeline), and keep the trigger job for the rest:',
    `${yamlKey(job)}:`,
    ...ID_TOKENS,
  ].join('\n');
}

export const AUTO_DEVOPS_FIX = [
  '# Auto DevOps jobs cannot declare id_tokens: add a .gitlab-ci.yml to the project that keeps',
  '# Auto DevOps and gives its build job the token (then sign its image with sigil sign):',
  'include:',
  '  - template: Auto-DevOps.gitlab-ci.yml',
  'build:',
  ...ID_TOKENS,
].join('\n');

export function forkMergeRequestFix(job: string): string {
  return [
    "# Merge request pipelines from forks cannot sign as this project: skip the signing job there",
    '# and sign in the pipeline that runs after the merge:',
    `${yamlKey(job)}:`,
    '  rules:',
    '    - if: $CI_MERGE_REQUEST_SOURCE_PROJECT_PATH && $CI_MERGE_REQUEST_SOURCE_PROJECT_PATH != $CI_MERGE_REQUEST_PROJECT_PATH',
    '      when: never',
    '    - when: on_success',
  ].join('\n');
}
