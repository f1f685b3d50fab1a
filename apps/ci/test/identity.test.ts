import { describe, expect, it } from 'vitest';
import { CiError, gitlabJobIdentity } from '../src/index.js';
import { ciErrorCode } from './support/error-code.js';
import { gitlabEnv, jobClaims, unsignedToken } from './support/job-env.js';

const SAN = 'https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main';

describe('gitlabJobIdentity from the variables', () => {
  it('names the branch pipeline of a gitlab.com project as Fulcio will', () => {
    expect(gitlabJobIdentity(gitlabEnv())).toEqual({
      identity: SAN,
      issuer: 'https://gitlab.com',
      configUri: 'gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main',
      serverUrl: 'https://gitlab.com',
      project: 'my-group/my-project',
      configPath: '.gitlab-ci.yml',
      ref: 'refs/heads/main',
      source: 'variables',
    });
  });

  it('uses refs/tags/ in a tag pipeline', () => {
    const job = gitlabJobIdentity(gitlabEnv({ ref: 'v1.2.0', refType: 'tag' }));
    expect(job.identity).toBe('https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/tags/v1.2.0');
    expect(job.ref).toBe('refs/tags/v1.2.0');
  });

  it("uses a merge request pipeline's source branch", () => {
    const env: Record<string, string> = { ...gitlabEnv({ ref: 'feature/x' }), CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature/x' };
    delete env.CI_COMMIT_BRANCH;
    expect(gitlabJobIdentity(env).ref).toBe('refs/heads/feature/x');
  });

  it('keeps subgroups, a config path in a directory, a port and a relative URL root', () => {
    const env = gitlabEnv({ server: 'https://git.example.com:8443/gitlab', project: 'a/b/c', configPath: 'ci/release.yml' });
    expect(gitlabJobIdentity(env)).toMatchObject({
      identity: 'https://git.example.com:8443/gitlab/a/b/c//ci/release.yml@refs/heads/main',
      issuer: 'https://git.example.com:8443/gitlab',
      project: 'a/b/c',
    });
  });

  it('writes https in the SAN for a plain-http loopback instance (Fulcio prefixes the claim with https://)', () => {
    const job = gitlabJobIdentity(gitlabEnv({ server: 'http://127.0.0.1:8080/oidc' }));
    expect(job.identity).toBe('https://127.0.0.1:8080/oidc/my-group/my-project//.gitlab-ci.yml@refs/heads/main');
    expect(job.issuer).toBe('http://127.0.0.1:8080/oidc');
  });

  it('defaults an unset CI_CONFIG_PATH to .gitlab-ci.yml, as GitLab does', () => {
    const env: Record<string, string> = gitlabEnv();
    delete env.CI_CONFIG_PATH;
    expect(gitlabJobIdentity(env).identity).toBe(SAN);
  });
});

describe('gitlabJobIdentity from the ID token', () => {
  it("takes the token's ci_config_ref_uri and iss, which win over the variables", () => {
    const claims = { ...jobClaims({ configPath: 'ci/sign.yml', ref: 'release' }), iss: 'https://gitlab.com' };
    const job = gitlabJobIdentity({ ...gitlabEnv(), SIGSTORE_ID_TOKEN: unsignedToken(claims) });
    expect(job).toMatchObject({
      identity: 'https://gitlab.com/my-group/my-project//ci/sign.yml@refs/heads/release',
      issuer: 'https://gitlab.com',
      configPath: 'ci/sign.yml',
      ref: 'refs/heads/release',
      project: 'my-group/my-project',
      source: 'token',
    });
  });

  it('reads the issuer from the token even without ci_config_ref_uri, and falls back to the variables for the SAN', () => {
    const claims = { ...jobClaims(), iss: 'https://gitlab.example.com', ci_config_ref_uri: null };
    const job = gitlabJobIdentity({ ...gitlabEnv(), SIGSTORE_ID_TOKEN: unsignedToken(claims) });
    expect(job).toMatchObject({ identity: SAN, issuer: 'https://gitlab.example.com', source: 'variables' });
  });

  it('names the other project when the token says so', () => {
    const claims = { ...jobClaims(), ci_config_ref_uri: 'gitlab.com/shared/ci//sign.yml@refs/heads/main' };
    expect(gitlabJobIdentity({ ...gitlabEnv(), SIGSTORE_ID_TOKEN: unsignedToken(claims) }).project).toBe('shared/ci');
  });

  it('never puts the token in the result', () => {
    const token = unsignedToken(jobClaims());
    expect(JSON.stringify(gitlabJobIdentity({ ...gitlabEnv(), SIGSTORE_ID_TOKEN: token }))).not.toContain(token.split('.')[1]!.slice(0, 20));
  });
});

describe('gitlabJobIdentity failures', () => {
  it('outside a GitLab job: CI_NOT_GITLAB_JOB', () => {
    expect(ciErrorCode(() => gitlabJobIdentity({ PATH: '/usr/bin', HOME: '/root' }))).toBe('CI_NOT_GITLAB_JOB');
  });

  it.each(['CI_SERVER_URL', 'CI_PROJECT_PATH'])('without %s: CI_VARIABLE_MISSING naming it', (name) => {
    const env: Record<string, string> = gitlabEnv();
    delete env[name];
    try {
      gitlabJobIdentity(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CiError);
      expect((err as CiError).code).toBe('CI_VARIABLE_MISSING');
      expect((err as CiError).details?.missing).toEqual([name]);
    }
  });

  it('without any ref variable: CI_VARIABLE_MISSING', () => {
    const env: Record<string, string> = gitlabEnv();
    delete env.CI_COMMIT_BRANCH;
    delete env.CI_COMMIT_REF_NAME;
    expect(ciErrorCode(() => gitlabJobIdentity(env))).toBe('CI_VARIABLE_MISSING');
  });

  it.each([
    ['CI_SERVER_URL', 'http://gitlab.example.com', 'CI_URL_INVALID'],
    ['CI_SERVER_URL', 'not a url', 'CI_URL_INVALID'],
    ['CI_SERVER_URL', 'https://user:pw@gitlab.com', 'CI_URL_INVALID'],
    ['CI_PROJECT_PATH', 'just-a-project', 'CI_PROJECT_INVALID'],
    ['CI_PROJECT_PATH', 'group/../project', 'CI_PROJECT_INVALID'],
    ['CI_COMMIT_BRANCH', 'bad..ref', 'CI_REF_INVALID'],
    ['CI_COMMIT_BRANCH', 'with space', 'CI_REF_INVALID'],
    ['CI_CONFIG_PATH', 'ci.yml@other-group/other-project', 'CI_CONFIG_PATH_INVALID'],
    ['CI_CONFIG_PATH', 'https://example.com/ci.yml', 'CI_CONFIG_PATH_INVALID'],
  ])('%s=%j: %s', (name, value, code) => {
    expect(ciErrorCode(() => gitlabJobIdentity({ ...gitlabEnv(), [name]: value }))).toBe(code);
  });

  it('a token that is not a JWT: CI_TOKEN_MALFORMED, without the token in the message', () => {
    try {
      gitlabJobIdentity({ ...gitlabEnv(), SIGSTORE_ID_TOKEN: 'secret-value-not-a-jwt' });
      expect.unreachable();
    } catch (err) {
      expect((err as CiError).code).toBe('CI_TOKEN_MALFORMED');
      expect(String((err as CiError).message)).not.toContain('secret-value');
    }
  });

  it.each([
    ['a ci_config_ref_uri without // and @refs/', { ci_config_ref_uri: 'gitlab.com/my-group/my-project' }],
    ['a numeric ci_config_ref_uri', { ci_config_ref_uri: 42 }],
    ['no iss', { iss: null }],
  ])('a token with %s: CI_TOKEN_CLAIM_INVALID', (_, overrides) => {
    const claims = { ...jobClaims(), ...overrides };
    expect(ciErrorCode(() => gitlabJobIdentity({ ...gitlabEnv(), SIGSTORE_ID_TOKEN: unsignedToken(claims) }))).toBe('CI_TOKEN_CLAIM_INVALID');
  });

  it.each([null, 'env', ['CI_SERVER_URL']])('job variables %j: CI_INVALID_ARGUMENT', (value) => {
    expect(ciErrorCode(() => gitlabJobIdentity(value as never))).toBe('CI_INVALID_ARGUMENT');
  });
});
