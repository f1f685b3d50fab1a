import { describe, expect, it } from 'vitest';
import { decodeToken, issuerTypeOf } from '../src/index.js';
import { emailClaims, expectNoLeak, expectOidcError, gitlabClaims, mint } from './helpers.js';

describe('decodeToken', () => {
  it('reads the header and the claims, unverified', async () => {
    const { header, claims } = decodeToken(await mint(gitlabClaims(), { alg: 'ES256', kid: 'k1', typ: 'JWT' }));
    expect(header).toEqual({ alg: 'ES256', kid: 'k1', typ: 'JWT' });
    expect(claims).toMatchObject({ iss: 'https://gitlab.com', aud: 'sigstore', project_path: 'my-group/my-project' });
  });

  it('refuses what is not a signed JWT, without showing it', async () => {
    const token = await mint(gitlabClaims());
    const [h, p, s] = token.split('.');
    for (const bad of [`${h}.${p}`, `${h}.${p}.${s}.${s}`, `${h}.${p}.`, `${h}.${p}.${s}!`, `${h}.${s}.${s}`]) {
      expectNoLeak(await expectOidcError(() => decodeToken(bad), 'OIDC_TOKEN_MALFORMED'), bad);
    }
  });
});

describe('issuerTypeOf', () => {
  it('knows GitLab by its claims on any instance, GitHub by its issuer or workflow ref, email by the email claim', () => {
    expect(issuerTypeOf(gitlabClaims({ iss: 'https://gitlab.example.org' }))).toBe('gitlab');
    expect(issuerTypeOf(gitlabClaims({ ci_config_ref_uri: undefined, project_path: undefined }))).toBe('gitlab');
    expect(issuerTypeOf({ iss: 'https://token.actions.githubusercontent.com' })).toBe('github');
    expect(issuerTypeOf({ iss: 'https://ghe.example/_services/token', job_workflow_ref: 'o/r/.github/workflows/x.yml@refs/heads/main' })).toBe('github');
    expect(issuerTypeOf(emailClaims())).toBe('email');
    expect(issuerTypeOf({ iss: 'https://spiffe.example', sub: 'spiffe://x' })).toBe('other');
  });
});
