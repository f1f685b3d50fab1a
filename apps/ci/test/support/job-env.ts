import { defaultGitlabClaims, type GitlabClaimsOptions } from '@sigil/stack';

export interface JobOptions {
  /** Default https://gitlab.com. */
  server?: string;
  project?: string;
  /** Short branch or tag name; default main. */
  ref?: string;
  refType?: 'branch' | 'tag';
  configPath?: string;
  jobName?: string;
}

/** The predefined variables a GitLab job of `project` has (docs.gitlab.com ci/variables/predefined_variables, the seed's list). */
export function gitlabEnv(options: JobOptions = {}): Record<string, string> {
  const server = options.server ?? 'https://gitlab.com';
  const url = new URL(server);
  const project = options.project ?? 'my-group/my-project';
  const ref = options.ref ?? 'main';
  const tag = options.refType === 'tag';
  const namespace = project.slice(0, project.lastIndexOf('/'));
  const projectUrl = `${server}/${project}`;
  return {
    CI: 'true',
    GITLAB_CI: 'true',
    CI_SERVER_URL: server,
    CI_SERVER_HOST: url.hostname,
    CI_SERVER_PORT: url.port || (url.protocol === 'https:' ? '443' : '80'),
    CI_SERVER_PROTOCOL: url.protocol.slice(0, -1),
    CI_SERVER_NAME: 'GitLab',
    CI_API_V4_URL: `${server}/api/v4`,
    CI_PROJECT_PATH: project,
    CI_PROJECT_NAMESPACE: namespace,
    CI_PROJECT_NAME: project.slice(project.lastIndexOf('/') + 1),
    CI_PROJECT_URL: projectUrl,
    CI_PROJECT_ID: '20',
    CI_PROJECT_VISIBILITY: 'public',
    CI_DEFAULT_BRANCH: 'main',
    CI_CONFIG_PATH: options.configPath ?? '.gitlab-ci.yml',
    CI_PIPELINE_SOURCE: 'push',
    CI_PIPELINE_ID: '574',
    CI_PIPELINE_IID: '40',
    CI_PIPELINE_URL: `${projectUrl}/-/pipelines/574`,
    CI_JOB_ID: '302',
    CI_JOB_NAME: options.jobName ?? 'build_and_sign_artifact',
    CI_JOB_STAGE: 'build',
    CI_JOB_URL: `${projectUrl}/-/jobs/302`,
    CI_JOB_STARTED_AT: '2025-05-19T14:17:23Z',
    CI_COMMIT_SHA: '6e02e901e936bfac3d4691984dff8c505410cbc3',
    CI_COMMIT_SHORT_SHA: '6e02e901',
    CI_COMMIT_REF_NAME: ref,
    CI_COMMIT_REF_SLUG: ref.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
    ...(tag ? { CI_COMMIT_TAG: ref } : { CI_COMMIT_BRANCH: ref }),
    CI_RUNNER_ID: '12270835',
    CI_RUNNER_DESCRIPTION: 'sigil-test-runner',
    CI_REGISTRY: 'registry.gitlab.com',
    CI_REGISTRY_IMAGE: `registry.gitlab.com/${project}`,
    CI_REGISTRY_USER: 'gitlab-ci-token',
  };
}

/** Claims of the ID token GitLab gives that job (the local stack's GitLab shape). */
export function jobClaims(options: JobOptions & Omit<GitlabClaimsOptions, 'host' | 'issuer'> = {}): Record<string, unknown> {
  const server = new URL(options.server ?? 'https://gitlab.com');
  return defaultGitlabClaims({
    ...options,
    host: `${server.host}${server.pathname.replace(/\/$/, '')}`,
    issuer: options.server ?? 'https://gitlab.com',
  });
}

/** A compact JWS with these claims and a dummy signature: enough for decoding, which never verifies. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'ES256', kid: 'test', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}
