import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { gitlabPreflight, type Problem } from '../src/index.js';
import { ciErrorCode } from './support/error-code.js';
import { gitlabEnv, jobClaims, unsignedToken } from './support/job-env.js';

const NOW = new Date();
const good = () => ({ ...gitlabEnv(), SIGSTORE_ID_TOKEN: unsignedToken(jobClaims({ issuedAt: NOW })) });
const codes = (problems: Problem[]) => problems.map((p) => p.code);

/** Every fix is YAML (comments included) that GitLab would parse; its comments say where it goes. */
function expectYamlFixes(problems: Problem[]): void {
  for (const problem of problems) {
    expect(problem.fix.length).toBeGreaterThan(0);
    expect(() => parse(problem.fix)).not.toThrow();
  }
}

describe('gitlabPreflight', () => {
  it('finds nothing in a branch pipeline of the project with a good token', () => {
    expect(gitlabPreflight(good(), NOW)).toEqual([]);
  });

  it('finds nothing in a tag pipeline, nor in a merge request pipeline of the project itself', () => {
    const tag = { ...gitlabEnv({ ref: 'v1.0.0', refType: 'tag' }), SIGSTORE_ID_TOKEN: unsignedToken(jobClaims({ ref: 'v1.0.0', refType: 'tag', issuedAt: NOW })) };
    expect(gitlabPreflight(tag, NOW)).toEqual([]);
    const mr = { ...good(), CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_SOURCE_PROJECT_PATH: 'my-group/my-project', CI_MERGE_REQUEST_PROJECT_PATH: 'my-group/my-project' };
    expect(gitlabPreflight(mr, NOW)).toEqual([]);
  });

  it('token missing: the id_tokens block for this job', () => {
    const env: Record<string, string> = { ...gitlabEnv({ jobName: 'release build' }) };
    const problems = gitlabPreflight(env, NOW);
    expect(codes(problems)).toEqual(['CI_TOKEN_MISSING']);
    expect(parse(problems[0]!.fix)).toEqual({ 'release build': { id_tokens: { SIGSTORE_ID_TOKEN: { aud: 'sigstore' } } } });
  });

  it('a job name YAML would misread is quoted in the fix', () => {
    const problems = gitlabPreflight({ ...gitlabEnv({ jobName: 'sign: [x]' }) }, NOW);
    expect(Object.keys(parse(problems[0]!.fix))).toEqual(['sign: [x]']);
  });

  it.each([
    ['wrong audience', { aud: 'https://gitlab.com' }, 'CI_TOKEN_AUDIENCE'],
    ['no audience', { aud: null }, 'CI_TOKEN_AUDIENCE'],
    ['expired', { exp: Math.floor(NOW.getTime() / 1000) - 3600 }, 'CI_TOKEN_EXPIRED'],
    ['not yet valid', { nbf: Math.floor(NOW.getTime() / 1000) + 3600 }, 'CI_TOKEN_NOT_YET_VALID'],
    ['no ci_config_ref_uri', { ci_config_ref_uri: null }, 'CI_TOKEN_NO_CONFIG_REF'],
    ['an empty ci_config_ref_uri', { ci_config_ref_uri: '' }, 'CI_TOKEN_NO_CONFIG_REF'],
    ['no project_path', { project_path: null, namespace_path: null, ci_config_ref_uri: null, email: 'x@example.com', email_verified: true }, 'CI_TOKEN_CLAIMS'],
    ['no sub', { sub: null }, 'CI_TOKEN_CLAIMS'],
  ])('token with %s: %s', (_, overrides, code) => {
    const env = { ...gitlabEnv(), SIGSTORE_ID_TOKEN: unsignedToken({ ...jobClaims({ issuedAt: NOW }), ...overrides }) };
    const problems = gitlabPreflight(env, NOW);
    expect(codes(problems)).toContain(code);
    expect(problems[0]!.code).toBe(code);
    expectYamlFixes(problems);
  });

  it('a token that is not a JWT: CI_TOKEN_MALFORMED, and the message does not quote it', () => {
    const problems = gitlabPreflight({ ...gitlabEnv(), SIGSTORE_ID_TOKEN: 'abc.def' }, NOW);
    expect(codes(problems)).toEqual(['CI_TOKEN_MALFORMED']);
    expect(problems[0]!.message).not.toContain('abc.def');
  });

  it('the audience fix names the audience found', () => {
    const env = { ...gitlabEnv(), SIGSTORE_ID_TOKEN: unsignedToken({ ...jobClaims({ issuedAt: NOW }), aud: 'vault' }) };
    const [problem] = gitlabPreflight(env, NOW);
    expect(problem!.fix).toContain('"vault"');
    expect(parse(problem!.fix)).toEqual({ build_and_sign_artifact: { id_tokens: { SIGSTORE_ID_TOKEN: { aud: 'sigstore' } } } });
  });

  it('the expiry fix gives the job a timeout', () => {
    const env = { ...gitlabEnv(), SIGSTORE_ID_TOKEN: unsignedToken({ ...jobClaims({ issuedAt: NOW }), exp: 1 }) };
    expect(parse(gitlabPreflight(env, NOW)[0]!.fix)).toEqual({ build_and_sign_artifact: { timeout: '30 minutes' } });
  });

  describe('layouts that cannot sign', () => {
    it('config in another project (CI_CONFIG_PATH path@group/project:ref): include it from the own config instead', () => {
      const problems = gitlabPreflight({ ...good(), CI_CONFIG_PATH: 'ci/shared.yml@platform/pipelines:v2' }, NOW);
      expect(codes(problems)).toEqual(['CI_CONFIG_OTHER_PROJECT']);
      expect(parse(problems[0]!.fix)).toEqual({
        include: [{ project: 'platform/pipelines', file: 'ci/shared.yml', ref: 'v2' }],
        build_and_sign_artifact: { id_tokens: { SIGSTORE_ID_TOKEN: { aud: 'sigstore' } } },
      });
    });

    it("config in another project, seen in the token: ci_config_ref_uri names another project's config", () => {
      const claims = { ...jobClaims({ issuedAt: NOW }), ci_config_ref_uri: 'gitlab.com/platform/pipelines//ci/shared.yml@refs/heads/main' };
      const problems = gitlabPreflight({ ...gitlabEnv(), SIGSTORE_ID_TOKEN: unsignedToken(claims) }, NOW);
      expect(codes(problems)).toEqual(['CI_CONFIG_OTHER_PROJECT']);
      expect(parse(problems[0]!.fix).include).toEqual([{ project: 'platform/pipelines', file: 'ci/shared.yml' }]);
    });

    it("config in another project, in GitLab's fallback claim (this project's location, config path@other project)", () => {
      const claims = { ...jobClaims({ issuedAt: NOW }), ci_config_ref_uri: 'gitlab.com/my-group/my-project//ci/shared.yml@platform/pipelines@refs/heads/main' };
      const env = { ...gitlabEnv(), CI_CONFIG_PATH: '', SIGSTORE_ID_TOKEN: unsignedToken(claims) };
      const problems = gitlabPreflight(env, NOW);
      expect(codes(problems)).toContain('CI_CONFIG_OTHER_PROJECT');
      expect(parse(problems.find((p) => p.code === 'CI_CONFIG_OTHER_PROJECT')!.fix).include).toEqual([{ project: 'platform/pipelines', file: 'ci/shared.yml' }]);
    });

    it('config at a URL', () => {
      const problems = gitlabPreflight({ ...good(), CI_CONFIG_PATH: 'https://example.com/ci.yml' }, NOW);
      expect(codes(problems)).toEqual(['CI_CONFIG_REMOTE']);
      expect(parse(problems[0]!.fix).include).toEqual([{ remote: 'https://example.com/ci.yml' }]);
    });

    it('child pipeline (CI_PIPELINE_SOURCE parent_pipeline, CI_CONFIG_PATH empty)', () => {
      const claims = { ...jobClaims({ issuedAt: NOW, pipelineSource: 'parent_pipeline' }), ci_config_ref_uri: null };
      const env = { ...gitlabEnv(), CI_PIPELINE_SOURCE: 'parent_pipeline', CI_CONFIG_PATH: '', SIGSTORE_ID_TOKEN: unsignedToken(claims) };
      const problems = gitlabPreflight(env, NOW);
      expect(codes(problems)).toEqual(['CI_TOKEN_NO_CONFIG_REF', 'CI_CHILD_PIPELINE']);
      expectYamlFixes(problems);
    });

    it('Auto DevOps: CI_CONFIG_PATH empty (GitLab sets it only for a config in the repository)', () => {
      const env: Record<string, string> = { ...gitlabEnv({ jobName: 'build' }), AUTO_DEVOPS_EXPLICITLY_ENABLED: '1' };
      delete env.CI_CONFIG_PATH;
      const problems = gitlabPreflight(env, NOW);
      expect(codes(problems)).toEqual(['CI_TOKEN_MISSING', 'CI_AUTO_DEVOPS']);
      expect(parse(problems[1]!.fix)).toEqual({ include: [{ template: 'Auto-DevOps.gitlab-ci.yml' }], build: { id_tokens: { SIGSTORE_ID_TOKEN: { aud: 'sigstore' } } } });
    });

    it('Auto DevOps: CI_CONFIG_PATH naming the Auto-DevOps template, and no token', () => {
      expect(codes(gitlabPreflight({ ...gitlabEnv(), CI_CONFIG_PATH: 'Auto-DevOps.gitlab-ci.yml' }, NOW))).toEqual(['CI_TOKEN_MISSING', 'CI_AUTO_DEVOPS']);
    });

    it('CI_CONFIG_PATH empty but a token with ci_config_ref_uri (GitLab names the project config): it can sign', () => {
      expect(gitlabPreflight({ ...good(), CI_CONFIG_PATH: '' }, NOW)).toEqual([]);
    });

    it('a child pipeline whose token has ci_config_ref_uri (GitLab after its fix): it can sign', () => {
      const claims = jobClaims({ issuedAt: NOW, pipelineSource: 'parent_pipeline' });
      const env = { ...gitlabEnv(), CI_PIPELINE_SOURCE: 'parent_pipeline', CI_CONFIG_PATH: '', SIGSTORE_ID_TOKEN: unsignedToken(claims) };
      expect(gitlabPreflight(env, NOW)).toEqual([]);
    });

    it('a child pipeline without a token: the token and the child pipeline', () => {
      expect(codes(gitlabPreflight({ ...gitlabEnv(), CI_PIPELINE_SOURCE: 'parent_pipeline', CI_CONFIG_PATH: '' }, NOW))).toEqual(['CI_TOKEN_MISSING', 'CI_CHILD_PIPELINE']);
    });

    it('Auto DevOps enabled and a token without ci_config_ref_uri', () => {
      const claims = { ...jobClaims({ issuedAt: NOW }), ci_config_ref_uri: null };
      const env = { ...gitlabEnv(), AUTO_DEVOPS_EXPLICITLY_ENABLED: '1', SIGSTORE_ID_TOKEN: unsignedToken(claims) };
      expect(codes(gitlabPreflight(env, NOW))).toEqual(['CI_TOKEN_NO_CONFIG_REF', 'CI_AUTO_DEVOPS']);
    });

    it('Auto DevOps enabled but the job runs from the own .gitlab-ci.yml with a good token: no problem', () => {
      expect(gitlabPreflight({ ...good(), AUTO_DEVOPS_EXPLICITLY_ENABLED: '1' }, NOW)).toEqual([]);
    });

    it('merge request from a fork (source project differs from the target)', () => {
      const env = {
        ...good(),
        CI_PIPELINE_SOURCE: 'merge_request_event',
        CI_MERGE_REQUEST_SOURCE_PROJECT_PATH: 'contributor/my-project',
        CI_MERGE_REQUEST_PROJECT_PATH: 'my-group/my-project',
      };
      const problems = gitlabPreflight(env, NOW);
      expect(codes(problems)).toEqual(['CI_FORK_MERGE_REQUEST']);
      expect(parse(problems[0]!.fix).build_and_sign_artifact.rules[0]).toEqual({
        if: '$CI_MERGE_REQUEST_SOURCE_PROJECT_PATH && $CI_MERGE_REQUEST_SOURCE_PROJECT_PATH != $CI_MERGE_REQUEST_PROJECT_PATH',
        when: 'never',
      });
    });

    it('merge request from a fork, told by project ids only', () => {
      const env = { ...good(), CI_MERGE_REQUEST_SOURCE_PROJECT_ID: '99', CI_MERGE_REQUEST_PROJECT_ID: '20' };
      expect(codes(gitlabPreflight(env, NOW))).toEqual(['CI_FORK_MERGE_REQUEST']);
    });

    it('merge request from a fork compared with CI_PROJECT_PATH when the target path is not set', () => {
      expect(codes(gitlabPreflight({ ...good(), CI_MERGE_REQUEST_SOURCE_PROJECT_PATH: 'someone/else' }, NOW))).toEqual(['CI_FORK_MERGE_REQUEST']);
    });

    it('several at once: each with its own fix', () => {
      const env: Record<string, string> = {
        ...gitlabEnv(),
        CI_PIPELINE_SOURCE: 'parent_pipeline',
        CI_CONFIG_PATH: 'child.yml@other/project',
        CI_MERGE_REQUEST_SOURCE_PROJECT_PATH: 'fork/project',
      };
      const problems = gitlabPreflight(env, NOW);
      expect(codes(problems)).toEqual(['CI_TOKEN_MISSING', 'CI_CONFIG_OTHER_PROJECT', 'CI_CHILD_PIPELINE', 'CI_FORK_MERGE_REQUEST']);
      expectYamlFixes(problems);
    });
  });

  describe('failures', () => {
    it('outside GitLab: CI_NOT_GITLAB_JOB', () => {
      expect(ciErrorCode(() => gitlabPreflight({ SIGSTORE_ID_TOKEN: unsignedToken(jobClaims()) }))).toBe('CI_NOT_GITLAB_JOB');
    });

    it('without CI_PROJECT_PATH: CI_VARIABLE_MISSING', () => {
      const env: Record<string, string> = gitlabEnv();
      delete env.CI_PROJECT_PATH;
      expect(ciErrorCode(() => gitlabPreflight(env))).toBe('CI_VARIABLE_MISSING');
    });

    it('an invalid date: CI_INVALID_ARGUMENT', () => {
      expect(ciErrorCode(() => gitlabPreflight(good(), new Date('nope')))).toBe('CI_INVALID_ARGUMENT');
    });

    it('a non-object environment: CI_INVALID_ARGUMENT', () => {
      expect(ciErrorCode(() => gitlabPreflight(undefined as never))).toBe('CI_INVALID_ARGUMENT');
    });
  });
});
