import { typeOf } from '@sigil/encoding';
import { ProvenanceError } from '../errors.js';

/** The process environment, or any record of GitLab CI variables. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** What one GitLab CI job says about itself, checked. */
export interface GitlabJob {
  projectUrl: string;
  commit: string;
  /** `refs/tags/<tag>` in tag pipelines, else `refs/heads/<CI_COMMIT_REF_NAME>`: Fulcio's .1.14. */
  ref: string;
  jobName: string;
  jobId: string;
  jobUrl: string;
  runnerId: string;
  runnerDescription?: string;
  runnerArchitecture?: string;
  runnerRevision?: string;
  startedAt?: string;
  /** The non-secret predefined variables present, recorded as the build's parameters. */
  variables: Record<string, string>;
}

const REQUIRED = [
  'CI_SERVER_URL', 'CI_PROJECT_PATH', 'CI_PROJECT_URL', 'CI_COMMIT_SHA', 'CI_COMMIT_REF_NAME', 'CI_CONFIG_PATH',
  'CI_JOB_ID', 'CI_JOB_NAME', 'CI_JOB_URL', 'CI_PIPELINE_ID', 'CI_RUNNER_ID',
] as const;

// Recorded when present. Only GitLab's predefined, non-secret variables: never tokens
// (CI_JOB_TOKEN, ID tokens), passwords or the user's own variables, which may hold secrets.
const RECORDED = [
  'GITLAB_CI', 'CI_SERVER_URL', 'CI_SERVER_HOST', 'CI_SERVER_VERSION',
  'CI_PROJECT_ID', 'CI_PROJECT_PATH', 'CI_PROJECT_URL', 'CI_PROJECT_NAMESPACE', 'CI_PROJECT_NAMESPACE_ID', 'CI_PROJECT_VISIBILITY',
  'CI_COMMIT_SHA', 'CI_COMMIT_BEFORE_SHA', 'CI_COMMIT_REF_NAME', 'CI_COMMIT_BRANCH', 'CI_COMMIT_TAG', 'CI_COMMIT_REF_PROTECTED', 'CI_DEFAULT_BRANCH',
  'CI_CONFIG_PATH', 'CI_PIPELINE_ID', 'CI_PIPELINE_IID', 'CI_PIPELINE_URL', 'CI_PIPELINE_SOURCE', 'CI_PIPELINE_CREATED_AT',
  'CI_MERGE_REQUEST_IID', 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME',
  'CI_JOB_ID', 'CI_JOB_NAME', 'CI_JOB_STAGE', 'CI_JOB_URL', 'CI_JOB_STARTED_AT',
  'CI_RUNNER_ID', 'CI_RUNNER_DESCRIPTION', 'CI_RUNNER_TAGS', 'CI_RUNNER_VERSION', 'CI_RUNNER_REVISION', 'CI_RUNNER_EXECUTABLE_ARCH',
] as const;

const MAX_VALUE_LENGTH = 8192;
const DIGITS = /^[0-9]{1,20}$/;

/** Reads and cross-checks the job's predefined variables. Throws PROVENANCE_ENV_MISSING / _INVALID. */
export function readGitlabJob(env: Environment): GitlabJob {
  if (typeof env !== 'object' || env === null) {
    throw new ProvenanceError('PROVENANCE_OPTIONS_INVALID', `GitLab CI variables: expected an environment object, found ${typeOf(env)}`);
  }
  const value = (name: string): string | undefined => {
    const v = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
    if (v !== undefined && typeof v !== 'string') invalid(name, `expected a string, found ${typeOf(v)}`);
    if (v !== undefined && v.length > MAX_VALUE_LENGTH) invalid(name, `expected at most ${MAX_VALUE_LENGTH} characters, found ${v.length}`);
    return v === '' ? undefined : v;
  };
  const missing = REQUIRED.filter((name) => value(name) === undefined);
  if (missing.length > 0) {
    throw new ProvenanceError('PROVENANCE_ENV_MISSING', `GitLab CI variable ${missing.join(', ')}: expected to be set, found ${missing.length > 1 ? 'them' : 'it'} unset; GitLab provenance can only be generated inside a GitLab CI job`, {
      details: { missing },
      hint: 'run this in a GitLab CI/CD job, where GitLab sets its predefined CI_* variables',
    });
  }
  const get = (name: (typeof REQUIRED)[number]): string => value(name)!;

  const serverUrl = httpUrl('CI_SERVER_URL', get('CI_SERVER_URL')).replace(/\/+$/, '');
  const projectUrl = httpUrl('CI_PROJECT_URL', get('CI_PROJECT_URL')).replace(/\/+$/, '');
  if (projectUrl !== `${serverUrl}/${get('CI_PROJECT_PATH')}`) {
    invalid('CI_PROJECT_URL', `expected CI_SERVER_URL/CI_PROJECT_PATH (${JSON.stringify(`${serverUrl}/${get('CI_PROJECT_PATH')}`)}), found ${JSON.stringify(projectUrl)}`);
  }
  const commit = get('CI_COMMIT_SHA');
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(commit)) invalid('CI_COMMIT_SHA', `expected a 40 or 64 digit lower-case hex commit, found ${JSON.stringify(commit)}`);
  for (const name of ['CI_JOB_ID', 'CI_PIPELINE_ID', 'CI_RUNNER_ID'] as const) {
    if (!DIGITS.test(get(name))) invalid(name, `expected a numeric id, found ${JSON.stringify(get(name))}`);
  }
  const jobUrl = get('CI_JOB_URL');
  if (jobUrl !== `${projectUrl}/-/jobs/${get('CI_JOB_ID')}`) {
    invalid('CI_JOB_URL', `expected CI_PROJECT_URL/-/jobs/CI_JOB_ID (${JSON.stringify(`${projectUrl}/-/jobs/${get('CI_JOB_ID')}`)}), found ${JSON.stringify(jobUrl)}`);
  }
  const startedAt = value('CI_JOB_STARTED_AT');
  if (startedAt !== undefined && Number.isNaN(Date.parse(startedAt))) invalid('CI_JOB_STARTED_AT', `expected an ISO 8601 time, found ${JSON.stringify(startedAt)}`);
  const tag = value('CI_COMMIT_TAG');

  const variables: Record<string, string> = {};
  for (const name of RECORDED) {
    const v = value(name);
    if (v !== undefined) variables[name] = v;
  }
  return {
    projectUrl,
    commit,
    ref: tag !== undefined ? `refs/tags/${tag}` : `refs/heads/${get('CI_COMMIT_REF_NAME')}`,
    jobName: get('CI_JOB_NAME'),
    jobId: get('CI_JOB_ID'),
    jobUrl,
    runnerId: get('CI_RUNNER_ID'),
    runnerDescription: value('CI_RUNNER_DESCRIPTION'),
    runnerArchitecture: value('CI_RUNNER_EXECUTABLE_ARCH'),
    runnerRevision: value('CI_RUNNER_REVISION'),
    startedAt,
    variables,
  };
}

function httpUrl(name: string, text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || url.username !== '') {
    // Never echo credentials a misconfigured URL might carry.
    invalid(name, `expected an http(s) URL without query, fragment or credentials, found ${text.includes('@') ? 'a URL with an "@"' : JSON.stringify(text)}`);
  }
  return text;
}

function invalid(name: string, message: string): never {
  throw new ProvenanceError('PROVENANCE_ENV_INVALID', `GitLab CI variable ${name}: ${message}`, { details: { variable: name } });
}
