import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { certificateIdentity, fulcioExtensions, parseCertificate } from '@sigil/x509';
import { GITLAB_ID_TOKENS_BLOCK, preflight, type OidcErrorCode, type PreflightOptions } from '../src/index.js';
import { assemble, emailClaims, expectNoLeak, expectOidcError, gitlabClaims, mint, NOW, NOW_S } from './helpers.js';

const at = { now: NOW };

describe('preflight accepts what Fulcio would accept', () => {
  it('a gitlab.com job token: the SAN is https:// + ci_config_ref_uri, the challenge is sub', async () => {
    const result = preflight(await mint(gitlabClaims()), at);
    expect(result).toMatchObject({
      issuer: 'https://gitlab.com',
      issuerType: 'gitlab',
      subject: 'project_path:my-group/my-project:ref_type:branch:ref:main',
      identity: 'https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main',
      challenge: 'project_path:my-group/my-project:ref_type:branch:ref:main',
      expiresAt: new Date((NOW_S + 290) * 1000),
    });
    expect(result.claims.project_path).toBe('my-group/my-project');
  });

  it('a tag pipeline on a self-managed instance, with aud as a list', async () => {
    const claims = gitlabClaims({
      iss: 'https://gitlab.example.org',
      aud: ['other', 'sigstore'],
      ci_config_ref_uri: 'gitlab.example.org/a/b/c//ci/release.yml@refs/tags/v1.2.0',
    });
    const result = preflight(await mint(claims), { ...at, knownIssuers: ['https://gitlab.com', 'https://gitlab.example.org'] });
    expect(result).toMatchObject({ issuerType: 'gitlab', identity: 'https://gitlab.example.org/a/b/c//ci/release.yml@refs/tags/v1.2.0' });
  });

  it('a GitHub Actions token yields the SAN of a real public-good certificate', async () => {
    const { leaf, extensions, san } = realCertificate('py-v02-prod-gha-wheel');
    const claims = {
      iss: extensions.issuerV2,
      sub: 'repo:trailofbits/rfc8785.py:ref:refs/tags/v0.1.2',
      aud: 'sigstore',
      job_workflow_ref: extensions.buildSignerURI!.replace('https://github.com/', ''),
      exp: NOW_S + 300,
    };
    const result = preflight(await mint(claims), { ...at, issuer: 'https://token.actions.githubusercontent.com' });
    expect(leaf).toBeDefined();
    expect(result).toMatchObject({ issuerType: 'github', identity: san.identity, issuer: san.issuer, challenge: claims.sub });
  });

  it('an email token yields the email SAN of a real certificate, and the challenge is the email', async () => {
    const { san } = realCertificate('java-v01-prod-google');
    const result = preflight(await mint(emailClaims({ email: san.identity })), { ...at, knownIssuers: [san.issuer] });
    expect(result).toMatchObject({ issuerType: 'email', identity: san.identity, challenge: san.identity, issuer: san.issuer });
  });

  it('another issuer: the SAN is sub (URI and SPIFFE issuers)', async () => {
    const result = preflight(await mint({ iss: 'https://spiffe.example', sub: 'spiffe://example.org/ns/ci', aud: 'sigstore', exp: NOW_S + 60 }), at);
    expect(result).toMatchObject({ issuerType: 'other', identity: 'spiffe://example.org/ns/ci', challenge: 'spiffe://example.org/ns/ci' });
  });

  it('tolerates the clock skew either way, and a token just minted with the real clock', async () => {
    const claims = gitlabClaims({ exp: NOW_S - 30, nbf: NOW_S + 30, iat: NOW_S + 30 });
    expect(preflight(await mint(claims), at).issuerType).toBe('gitlab');
    const now = Math.floor(Date.now() / 1000);
    expect(preflight(await mint(gitlabClaims({ iat: now, nbf: now, exp: now + 300 }))).issuer).toBe('https://gitlab.com');
  });

  it('matches known issuers exactly, or by a Fulcio-style wildcard, or the given issuer', async () => {
    const token = await mint(gitlabClaims({ iss: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123' }));
    expect(preflight(token, { ...at, knownIssuers: ['https://oidc.eks.*.amazonaws.com/id/*'] }).issuer).toContain('eu-west-1');
    expect(preflight(token, { ...at, knownIssuers: ['https://gitlab.com'], issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123' })).toBeDefined();
  });

  it('takes another audience when told to', async () => {
    expect(preflight(await mint(gitlabClaims({ aud: 'private-fulcio' })), { ...at, audience: 'private-fulcio' }).issuerType).toBe('gitlab');
  });
});

// Each row: a token that must fail, the options, and the code. Every row also checks that the
// error shows no part of the token.
type Case = [name: string, token: () => Promise<string> | string, options: PreflightOptions, code: OidcErrorCode];

const header = JSON.stringify({ alg: 'ES256', typ: 'JWT' });
const payload = JSON.stringify(gitlabClaims());

const cases: Case[] = [
  ['a bare word', () => 'not-a-jwt-but-still-a-secret-value-0123456789', at, 'OIDC_TOKEN_MALFORMED'],
  ['two parts', () => 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtc3ViamVjdCJ9', at, 'OIDC_TOKEN_MALFORMED'],
  ['an encrypted token (five parts)', () => 'eyJhbGciOiJSU0EtT0FFUCJ9.a2V5LWtleS1rZXk.aXZpdml2aXY.Y2lwaGVydGV4dC1jaXBoZXI.dGFndGFndGFndGFn', at, 'OIDC_TOKEN_MALFORMED'],
  ['characters outside base64url', () => assemble(header, payload, 'c2lnbmF0dXJl+/bad=signature-part'), at, 'OIDC_TOKEN_MALFORMED'],
  ['an empty signature', () => assemble(header, payload, ''), at, 'OIDC_TOKEN_MALFORMED'],
  ['alg none', () => assemble(JSON.stringify({ alg: 'none' }), payload), at, 'OIDC_TOKEN_MALFORMED'],
  ['no alg', () => assemble(JSON.stringify({ typ: 'JWT' }), payload), at, 'OIDC_TOKEN_MALFORMED'],
  ['a header that is not JSON', () => assemble('{"alg":', payload), at, 'OIDC_TOKEN_MALFORMED'],
  ['a payload that is not JSON', () => assemble(header, '{"iss": "https://gitlab.com",'), at, 'OIDC_TOKEN_MALFORMED'],
  ['a payload that is an array', () => assemble(header, '["https://gitlab.com"]'), at, 'OIDC_TOKEN_MALFORMED'],
  ['a payload that is not base64url JSON', () => 'eyJhbGciOiJFUzI1NiJ9.____.c2lnbmF0dXJlLXNpZ25hdHVyZQ', at, 'OIDC_TOKEN_MALFORMED'],
  ['a token longer than 64 KiB', () => assemble(header, JSON.stringify(gitlabClaims({ padding: 'x'.repeat(70_000) }))), at, 'OIDC_TOKEN_MALFORMED'],
  ['no aud', () => mint(gitlabClaims({ aud: undefined })), at, 'OIDC_AUDIENCE'],
  ['another aud', () => mint(gitlabClaims({ aud: 'https://gitlab.com' })), at, 'OIDC_AUDIENCE'],
  ['an aud list without sigstore', () => mint(gitlabClaims({ aud: ['a', 'b'] })), at, 'OIDC_AUDIENCE'],
  ['aud sigstore when another is required', () => mint(gitlabClaims()), { ...at, audience: 'private' }, 'OIDC_AUDIENCE'],
  ['a GitHub token for another audience', () => mint({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r', aud: 'api', exp: NOW_S + 60 }), at, 'OIDC_AUDIENCE'],
  ['expired beyond the skew', () => mint(gitlabClaims({ exp: NOW_S - 61 })), at, 'OIDC_EXPIRED'],
  ['expiring right now with no skew', () => mint(gitlabClaims({ exp: NOW_S })), { ...at, skewSeconds: 0 }, 'OIDC_EXPIRED'],
  ['an expired email token', () => mint(emailClaims({ exp: NOW_S - 3600 })), at, 'OIDC_EXPIRED'],
  ['nbf beyond the skew', () => mint(gitlabClaims({ nbf: NOW_S + 61 })), at, 'OIDC_NOT_YET_VALID'],
  ['iat in the future', () => mint(gitlabClaims({ iat: NOW_S + 3600 })), at, 'OIDC_NOT_YET_VALID'],
  ['no exp', () => mint(gitlabClaims({ exp: undefined })), at, 'OIDC_CLAIM_MISSING'],
  ['exp as a string', () => mint(gitlabClaims({ exp: String(NOW_S + 60) })), at, 'OIDC_CLAIM_INVALID'],
  ['nbf as null', () => mint(gitlabClaims({ nbf: null })), at, 'OIDC_CLAIM_INVALID'],
  ['no iss', () => mint(gitlabClaims({ iss: undefined })), at, 'OIDC_CLAIM_MISSING'],
  ['iss as a number', () => mint(gitlabClaims({ iss: 42 })), at, 'OIDC_CLAIM_INVALID'],
  ['no sub', () => mint(gitlabClaims({ sub: undefined })), at, 'OIDC_CLAIM_MISSING'],
  ['sub as an object', () => mint(gitlabClaims({ sub: { project: 'x' } })), at, 'OIDC_CLAIM_INVALID'],
  ['GitLab without project_path', () => mint(gitlabClaims({ project_path: undefined })), at, 'OIDC_CLAIM_MISSING'],
  ['GitLab with ci_config_ref_uri as a number', () => mint(gitlabClaims({ ci_config_ref_uri: 7 })), at, 'OIDC_CLAIM_INVALID'],
  ['GitHub without job_workflow_ref', () => mint({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r', aud: 'sigstore', exp: NOW_S + 60 }), at, 'OIDC_CLAIM_MISSING'],
  ['email_verified false', () => mint(emailClaims({ email_verified: false })), at, 'OIDC_EMAIL_UNVERIFIED'],
  ['email_verified missing', () => mint(emailClaims({ email_verified: undefined })), at, 'OIDC_EMAIL_UNVERIFIED'],
  ['email_verified as the string "true"', () => mint(emailClaims({ email_verified: 'true' })), at, 'OIDC_EMAIL_UNVERIFIED'],
  ['GitLab without ci_config_ref_uri', () => mint(gitlabClaims({ ci_config_ref_uri: undefined })), at, 'OIDC_GITLAB_CONFIG_NOT_IN_PROJECT'],
  ['GitLab with ci_config_ref_uri null (a fork MR)', () => mint(gitlabClaims({ ci_config_ref_uri: null, pipeline_source: 'merge_request_event' })), at, 'OIDC_GITLAB_CONFIG_NOT_IN_PROJECT'],
  ['a child pipeline', () => mint(gitlabClaims({ ci_config_ref_uri: '', ci_config_sha: '', pipeline_source: 'parent_pipeline' })), at, 'OIDC_GITLAB_CONFIG_NOT_IN_PROJECT'],
  ['an issuer not in the list', () => mint(gitlabClaims()), { ...at, knownIssuers: ['https://token.actions.githubusercontent.com'] }, 'OIDC_UNKNOWN_ISSUER'],
  ['another issuer than the given one', () => mint(gitlabClaims()), { ...at, issuer: 'https://gitlab.com/' }, 'OIDC_UNKNOWN_ISSUER'],
  ['a wildcard does not span a path', () => mint(gitlabClaims({ iss: 'https://oidc.example/a/b' })), { ...at, knownIssuers: ['https://oidc.example/*'] }, 'OIDC_UNKNOWN_ISSUER'],
  ['an empty list of issuers', () => mint(gitlabClaims()), { ...at, knownIssuers: [] }, 'OIDC_UNKNOWN_ISSUER'],
  ['a negative skew', () => mint(gitlabClaims()), { ...at, skewSeconds: -1 }, 'OIDC_INVALID_ARGUMENT'],
  ['an invalid Date', () => mint(gitlabClaims()), { now: new Date(Number.NaN) }, 'OIDC_INVALID_ARGUMENT'],
];

describe('preflight refuses, with a typed error that shows no part of the token', () => {
  it.each(cases)('%s', async (_name, makeToken, options, code) => {
    const token = await makeToken();
    const err = await expectOidcError(() => preflight(token, options), code);
    expect(err.hint).toBeTruthy();
    expectNoLeak(err, token);
  });

  it('a token that is not a string', async () => {
    await expectOidcError(() => preflight(42 as never, at), 'OIDC_TOKEN_MALFORMED');
    await expectOidcError(() => preflight(undefined as never, at), 'OIDC_TOKEN_MALFORMED');
  });

  it('GitLab failures show the exact id_tokens block to add', async () => {
    const failures = [
      [gitlabClaims({ aud: undefined }), 'OIDC_AUDIENCE'],
      [gitlabClaims({ project_path: undefined }), 'OIDC_CLAIM_MISSING'],
      [gitlabClaims({ ci_config_ref_uri: undefined }), 'OIDC_GITLAB_CONFIG_NOT_IN_PROJECT'],
    ] as const;
    for (const [claims, code] of failures) {
      const err = await expectOidcError(async () => preflight(await mint(claims), at), code);
      expect(err.hint).toContain(GITLAB_ID_TOKENS_BLOCK);
    }
  });

  it('names the layout that cannot sign, when the token tells', async () => {
    const err = await expectOidcError(async () => preflight(await mint(gitlabClaims({ ci_config_ref_uri: undefined, pipeline_source: 'parent_pipeline' })), at), 'OIDC_GITLAB_CONFIG_NOT_IN_PROJECT');
    expect(err.details).toMatchObject({ claim: 'ci_config_ref_uri', pipelineSource: '"parent_pipeline"', projectPath: '"my-group/my-project"' });
  });

  it('says what was expected and found, in details', async () => {
    const audience = await expectOidcError(async () => preflight(await mint(gitlabClaims({ aud: ['a'] })), at), 'OIDC_AUDIENCE');
    expect(audience.details).toMatchObject({ expected: 'sigstore', found: '["a"]', issuerType: 'gitlab' });
    const expired = await expectOidcError(async () => preflight(await mint(gitlabClaims({ exp: NOW_S - 120 })), at), 'OIDC_EXPIRED');
    expect(expired.details).toMatchObject({ expiredAt: '2025-06-01T11:58:00.000Z', now: '2025-06-01T12:00:00.000Z', skewSeconds: 60 });
    const issuer = await expectOidcError(async () => preflight(await mint(gitlabClaims()), { ...at, knownIssuers: ['https://x'] }), 'OIDC_UNKNOWN_ISSUER');
    expect(issuer.details).toMatchObject({ expected: ['https://x'], found: '"https://gitlab.com"' });
  });
});

function realCertificate(corpusCase: string) {
  const root = new URL('../../../test-infra/fixtures/corpus/', import.meta.url);
  const { verificationMaterial: material } = JSON.parse(readFileSync(new URL(`${corpusCase}/bundle.json`, root), 'utf8'));
  const leafBase64: string = (material.certificate ?? material.x509CertificateChain.certificates[0]).rawBytes;
  const leaf = parseCertificate(new Uint8Array(Buffer.from(leafBase64, 'base64')));
  const { san, issuer } = certificateIdentity(leaf);
  return { leaf, extensions: fulcioExtensions(leaf), san: { identity: san, issuer: issuer! } };
}
