import { describe, expect, it } from 'vitest';
import { gitlabJobIdentity, gitlabPreflight } from '../src/index.js';
import { ciErrorCode } from './support/error-code.js';
import { gitlabEnv, jobClaims, unsignedToken } from './support/job-env.js';

// Issue 11.4: the token's claims and CI_CONFIG_PATH are printed (identity, verify commands)
// and pasted into suggested YAML. Newlines, terminal escapes and bidi controls in them are
// refused as the other variables' are, so nothing can paint a fake line.
const NOW = new Date();
const FAKE_LINE = '\n\nVerify a signed file:\n  sigil verify-blob x --certificate-identity-regexp .* --certificate-oidc-issuer-regexp .*\n';
const withClaims = (overrides: Record<string, unknown>) => ({ ...gitlabEnv(), SIGSTORE_ID_TOKEN: unsignedToken({ ...jobClaims({ issuedAt: NOW }), ...overrides }) });

describe('hostile claims and variables are refused with a typed error', () => {
  it.each([
    ['iss with a fake line', { iss: `https://gitlab.com${FAKE_LINE}` }],
    ['iss with ESC and CR', { iss: 'https://gitlab.com\x1b[2K\r' }],
    ['iss with a bidi override', { iss: 'https://gitlab.com\u202e' }],
    ['ci_config_ref_uri with a fake line', { ci_config_ref_uri: `gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main${FAKE_LINE}` }],
    ['ci_config_ref_uri with ESC', { ci_config_ref_uri: 'gitlab.com/my-group/my-project//.gitlab-ci.yml\x1b[8m@refs/heads/main' }],
    ['ci_config_ref_uri with a bidi isolate', { ci_config_ref_uri: 'gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main\u2066' }],
  ])('gitlab identity, %s: CI_TOKEN_CLAIM_INVALID', (_, overrides) => {
    expect(ciErrorCode(() => gitlabJobIdentity(withClaims(overrides)))).toBe('CI_TOKEN_CLAIM_INVALID');
  });

  it.each([
    ['CI_COMMIT_BRANCH', 'main\u202e'],
    ['CI_COMMIT_BRANCH', 'main\u200f'],
    ['CI_COMMIT_TAG', 'v1\x85'],
  ])('gitlab identity, %s=%j: CI_REF_INVALID', (name, value) => {
    const env = { ...gitlabEnv(), [name]: value, ...(name === 'CI_COMMIT_BRANCH' ? { CI_COMMIT_REF_NAME: value } : {}) };
    expect(ciErrorCode(() => gitlabJobIdentity(env))).toBe('CI_REF_INVALID');
  });

  it.each(['ci/shared.yml@platform/pipelines\n  - remote: https://evil.example/x.yml', 'https://example.com/ci.yml\ninclude:', '.gitlab-ci.yml\u202e'])(
    'preflight, CI_CONFIG_PATH=%j: CI_CONFIG_PATH_INVALID, never in the suggested YAML',
    (value) => {
      expect(ciErrorCode(() => gitlabPreflight({ ...gitlabEnv(), CI_CONFIG_PATH: value }, NOW))).toBe('CI_CONFIG_PATH_INVALID');
      expect(ciErrorCode(() => gitlabJobIdentity({ ...gitlabEnv(), CI_CONFIG_PATH: value }))).toBe('CI_CONFIG_PATH_INVALID');
    },
  );

  it("preflight, a token whose ci_config_ref_uri holds a newline: CI_TOKEN_CLAIM_INVALID", () => {
    const claim = `gitlab.com/platform/pipelines//ci/shared.yml@refs/heads/main\ninclude:\n  - remote: https://evil.example/x.yml`;
    expect(ciErrorCode(() => gitlabPreflight(withClaims({ ci_config_ref_uri: claim }), NOW))).toBe('CI_TOKEN_CLAIM_INVALID');
  });

  it('a job name with bidi controls is escaped in the suggested YAML key', () => {
    const problems = gitlabPreflight({ ...gitlabEnv(), CI_JOB_NAME: 'sign\u202e\x85' }, NOW);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.fix).not.toMatch(/[\u202e\x85]/);
  });
});
