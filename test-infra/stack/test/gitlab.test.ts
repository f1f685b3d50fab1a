import { describe, expect, it } from 'vitest';
import { defaultGitlabClaims, gitlabClaimsToFulcio } from '../src/index.js';
import { stackErrorCode } from './support/stack-error.js';

// The claims of GitLab's documented example token.
const claims = {
  namespace_id: '72',
  namespace_path: 'my-group',
  project_id: '20',
  project_path: 'my-group/my-project',
  user_id: '1',
  user_login: 'sample-user',
  pipeline_id: '574',
  pipeline_source: 'push',
  job_id: '302',
  ref: 'main',
  ref_type: 'branch',
  ref_path: 'refs/heads/main',
  ref_protected: 'true',
  runner_id: 1,
  runner_environment: 'gitlab-hosted',
  sha: '714a629c0b401fdce83e847fc9589983fc6f46bc',
  project_visibility: 'public',
  ci_config_ref_uri: 'gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main',
  ci_config_sha: '714a629c0b401fdce83e847fc9589983fc6f46bc',
  jti: '235b3a54-b797-45c7-ae9a-f72d7bc6ef5b',
  iss: 'https://gitlab.com',
  iat: 1681395193,
  nbf: 1681395188,
  exp: 1681398793,
  sub: 'project_path:my-group/my-project:ref_type:branch:ref:main',
  aud: 'sigstore',
};

describe('gitlabClaimsToFulcio', () => {
  it('applies Fulcio\'s gitlab-pipeline template', () => {
    const config = 'https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main';
    expect(gitlabClaimsToFulcio(claims)).toEqual({
      san: { type: 'uri', value: config },
      issuer: 'https://gitlab.com',
      extensions: {
        buildSignerURI: config,
        buildSignerDigest: claims.sha,
        runnerEnvironment: 'gitlab-hosted',
        sourceRepositoryURI: 'https://gitlab.com/my-group/my-project',
        sourceRepositoryDigest: claims.sha,
        sourceRepositoryRef: 'refs/heads/main',
        sourceRepositoryIdentifier: '20',
        sourceRepositoryOwnerURI: 'https://gitlab.com/my-group',
        sourceRepositoryOwnerIdentifier: '72',
        buildConfigURI: config,
        buildConfigDigest: claims.sha,
        buildTrigger: 'push',
        runInvocationURI: 'https://gitlab.com/my-group/my-project/-/jobs/302',
        sourceRepositoryVisibilityAtSigning: 'public',
        deploymentEnvironment: '',
        tokenSubject: claims.sub,
      },
    });
  });

  it('keeps gitlab.com in the {url} fields for a self-managed issuer, as Fulcio does', () => {
    const own = { ...claims, iss: 'https://gitlab.example.org', ci_config_ref_uri: 'gitlab.example.org/g/p//.gitlab-ci.yml@refs/tags/v1', ref: 'v1', ref_type: 'tag' };
    const mapped = gitlabClaimsToFulcio(own);
    expect(mapped.issuer).toBe('https://gitlab.example.org');
    expect(mapped.san.value).toBe('https://gitlab.example.org/g/p//.gitlab-ci.yml@refs/tags/v1');
    expect(mapped.extensions.sourceRepositoryURI).toBe('https://gitlab.com/my-group/my-project');
    expect(mapped.extensions.sourceRepositoryRef).toBe('refs/tags/v1');
    // A Fulcio configured with its own default, or a token carrying a `url` claim, changes them.
    expect(gitlabClaimsToFulcio(own, { url: own.iss }).extensions.sourceRepositoryOwnerURI).toBe('https://gitlab.example.org/my-group');
    expect(gitlabClaimsToFulcio({ ...own, url: 'https://git.local' }, { url: own.iss }).extensions.runInvocationURI).toBe('https://git.local/my-group/my-project/-/jobs/302');
  });

  it('stringifies numbers and booleans as Go does, and takes the optional environment', () => {
    const mapped = gitlabClaimsToFulcio({ ...claims, project_id: 20, namespace_id: 72, job_id: 1e21, project_visibility: true, environment: 'production' });
    expect(mapped.extensions).toMatchObject({
      sourceRepositoryIdentifier: '20',
      sourceRepositoryOwnerIdentifier: '72',
      runInvocationURI: 'https://gitlab.com/my-group/my-project/-/jobs/1000000000000000000000',
      sourceRepositoryVisibilityAtSigning: 'true',
      deploymentEnvironment: 'production',
    });
  });

  it('fails like Fulcio on a claim its template needs', () => {
    for (const missing of ['ci_config_ref_uri', 'project_path', 'namespace_path', 'ref', 'ref_type', 'sha', 'ci_config_sha', 'pipeline_source', 'job_id', 'iss']) {
      const { [missing as keyof typeof claims]: _, ...rest } = claims;
      expect(stackErrorCode(() => gitlabClaimsToFulcio(rest as never))).toBe('STACK_CLAIM_MISSING');
    }
    expect(stackErrorCode(() => gitlabClaimsToFulcio({ ...claims, sha: { a: 1 } }))).toBe('STACK_CLAIM_MISSING');
    expect(stackErrorCode(() => gitlabClaimsToFulcio({ ...claims, job_id: Number.NaN }))).toBe('STACK_CLAIM_MISSING');
    expect(stackErrorCode(() => gitlabClaimsToFulcio(null as never))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => gitlabClaimsToFulcio(claims, { url: '' }))).toBe('STACK_INPUT_INVALID');
  });
});

describe('defaultGitlabClaims', () => {
  it('makes claims shaped like a GitLab CI token', () => {
    const made = defaultGitlabClaims({ project: 'a/b/c', ref: 'v2.0.0', refType: 'tag', environment: 'prod', issuedAt: new Date('2026-01-01T00:00:00Z') });
    expect(made).toMatchObject({
      iss: 'https://gitlab.com',
      aud: 'sigstore',
      namespace_path: 'a/b',
      project_path: 'a/b/c',
      ref: 'v2.0.0',
      ref_type: 'tag',
      ref_path: 'refs/tags/v2.0.0',
      ci_config_ref_uri: 'gitlab.com/a/b/c//.gitlab-ci.yml@refs/tags/v2.0.0',
      runner_id: 1,
      environment: 'prod',
      iat: 1767225600,
      exp: 1767225900,
      sub: 'project_path:a/b/c:ref_type:tag:ref:v2.0.0',
    });
    expect(made.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(gitlabClaimsToFulcio(made).extensions.deploymentEnvironment).toBe('prod');
    expect(defaultGitlabClaims({ host: 'gitlab.local' }).iss).toBe('https://gitlab.local');
    expect('environment' in defaultGitlabClaims()).toBe(false);
    expect(stackErrorCode(() => defaultGitlabClaims({ project: 'lonely' }))).toBe('STACK_INPUT_INVALID');
  });
});
