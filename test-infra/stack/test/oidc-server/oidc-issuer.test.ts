import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcIssuer, type OidcIssuer } from '../../src/oidc-server/index.js';
import { postJson, serveRoutes, temporaryDirectory } from '../support/serve-routes.js';
import { stackErrorCode } from '../support/stack-error.js';

const GITLAB_CLAIMS = [
  'namespace_id', 'namespace_path', 'project_id', 'project_path', 'user_login', 'user_email', 'pipeline_id', 'pipeline_source', 'job_id',
  'ref', 'ref_type', 'ref_protected', 'ci_config_ref_uri', 'ci_config_sha', 'sha', 'runner_id', 'runner_environment', 'project_visibility',
];

let server: Awaited<ReturnType<typeof serveRoutes>>;
let state: ReturnType<typeof temporaryDirectory>;
let issuer: OidcIssuer;
let issuerUrl: string;

beforeAll(async () => {
  server = await serveRoutes();
  state = temporaryDirectory('oidc');
  issuerUrl = `${server.url}/oidc`;
  issuer = createOidcIssuer({ dir: state.dir, issuerUrl });
  server.setRoutes(issuer.routes);
});

afterAll(async () => {
  await server.close();
  state.remove();
});

async function verify(token: string) {
  const jwks = createRemoteJWKSet(new URL(`${issuerUrl}/jwks`));
  return (await jwtVerify(token, jwks, { issuer: issuerUrl, audience: 'sigstore', algorithms: ['ES256'] })).payload;
}

describe('OIDC issuer over HTTP', () => {
  it('serves a discovery document whose issuer is its URL and whose jwks_uri serves its key', async () => {
    const discovery = (await (await fetch(`${issuerUrl}/.well-known/openid-configuration`)).json()) as any;
    expect(discovery).toMatchObject({
      issuer: issuerUrl,
      jwks_uri: `${issuerUrl}/jwks`,
      id_token_signing_alg_values_supported: ['ES256'],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
    });
    expect(discovery.claims_supported).toEqual(expect.arrayContaining([...GITLAB_CLAIMS, 'job_workflow_ref', 'email', 'email_verified']));
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as any;
    expect(jwks).toEqual(issuer.jwks);
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', kid: issuer.kid, use: 'sig', alg: 'ES256' })]);
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it('mints a GitLab CI token by default that verifies against its JWKS', async () => {
    const token = await issuer.mint();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: issuer.kid });
    const claims = await verify(token);
    for (const claim of GITLAB_CLAIMS) expect(claims[claim], claim).toBeDefined();
    const host = new URL(issuerUrl).host;
    expect(claims).toMatchObject({
      iss: issuerUrl,
      aud: 'sigstore',
      sub: 'project_path:my-group/my-project:ref_type:branch:ref:main',
      project_path: 'my-group/my-project',
      ci_config_ref_uri: `${host}/my-group/my-project//.gitlab-ci.yml@refs/heads/main`,
      ref_protected: 'true',
      runner_id: 1,
    });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.nbf).toBeLessThanOrEqual(claims.iat!);
    expect(typeof claims.jti).toBe('string');
    expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(5);
  });

  it('takes the GitLab host, project, ref and lifetime from options, and claims over the defaults', async () => {
    const claims = await verify(
      await issuer.mint({ host: 'gitlab.example', project: 'a/b/c', ref: 'v1.2.0', refType: 'tag', expiresIn: 60, claims: { pipeline_source: 'web', environment: 'prod', user_email: null } }),
    );
    expect(claims).toMatchObject({
      ci_config_ref_uri: 'gitlab.example/a/b/c//.gitlab-ci.yml@refs/tags/v1.2.0',
      namespace_path: 'a/b',
      ref_type: 'tag',
      pipeline_source: 'web',
      environment: 'prod',
    });
    expect(claims.user_email).toBeUndefined();
    expect(claims.exp! - claims.iat!).toBe(60);
  });

  it('mints GitHub Actions tokens', async () => {
    const claims = await verify(await issuer.mint({ kind: 'github', project: 'octo/app', ref: 'v2', refType: 'tag' }));
    expect(claims).toMatchObject({
      iss: issuerUrl,
      repository: 'octo/app',
      repository_owner: 'octo',
      ref: 'refs/tags/v2',
      job_workflow_ref: 'octo/app/.github/workflows/release.yml@refs/tags/v2',
      sub: 'repo:octo/app:ref:refs/tags/v2',
      event_name: 'push',
      runner_environment: 'github-hosted',
    });
    for (const claim of ['sha', 'workflow', 'job_workflow_sha', 'repository_id', 'repository_owner_id', 'workflow_ref', 'workflow_sha', 'run_id', 'run_attempt', 'repository_visibility']) {
      expect(claims[claim], claim).toBeDefined();
    }
  });

  it('mints e-mail tokens with a verified address', async () => {
    const claims = await verify(await issuer.mint({ kind: 'email', email: 'dev@example.org' }));
    expect(claims).toMatchObject({ iss: issuerUrl, aud: 'sigstore', email: 'dev@example.org', email_verified: true });
    expect(typeof claims.sub).toBe('string');
    expect(claims.project_path).toBeUndefined();
  });

  it('mints over HTTP: POST /oidc/token {kind, claims, expiresIn}', async () => {
    const { status, body } = await postJson(`${issuerUrl}/token`, { kind: 'email', claims: { email: 'ci@example.net', aud: ['sigstore', 'other'] }, expiresIn: 120 });
    expect(status).toBe(200);
    const claims = await verify(body.token);
    expect(claims).toMatchObject({ email: 'ci@example.net', aud: ['sigstore', 'other'] });
    expect(claims.exp! - claims.iat!).toBe(120);
    const gitlab = await postJson(`${issuerUrl}/token`, {});
    expect((await verify(gitlab.body.token)).project_path).toBe('my-group/my-project');
  });

  it.each([
    ['an unknown kind', { kind: 'bitbucket' }],
    ['claims that are not an object', { claims: ['sub'] }],
    ['a lifetime that is not whole seconds', { expiresIn: 1.5 }],
    ['a negative lifetime', { expiresIn: -1 }],
    ['an unknown field', { kind: 'gitlab', audience: 'x' }],
    ['a body that is not an object', [1, 2]],
  ])('answers 400 OIDC_REQUEST_INVALID to %s', async (_, body) => {
    const { status, body: answer } = await postJson(`${issuerUrl}/token`, body);
    expect(status).toBe(400);
    expect(answer).toMatchObject({ code: 400, reason: 'OIDC_REQUEST_INVALID' });
    expect(answer.message).toMatch(/token/);
  });

  it('answers 415 to a body that is not JSON, 400 to broken JSON, 405 and 404 elsewhere', async () => {
    expect((await fetch(`${issuerUrl}/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await postJson(`${issuerUrl}/token`, '{"kind":')).status).toBe(400);
    expect((await fetch(`${issuerUrl}/jwks`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${issuerUrl}/authorize`)).status).toBe(404);
  });

  it('refuses bad mint options with STACK_INPUT_INVALID', () => {
    expect(stackErrorCode(() => issuer.mint({ kind: 'svn' as never }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => issuer.mint({ issuedAt: new Date(NaN) }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => issuer.mint({ kind: 'github', project: 'no-owner' }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => issuer.mint({ refType: 'commit' as never }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => issuer.mint({ email: '' }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createOidcIssuer({ dir: state.dir, issuerUrl: 'ftp://x/oidc' }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createOidcIssuer({ dir: state.dir, issuerUrl: `${issuerUrl}/` }))).toBe('STACK_INPUT_INVALID');
    expect(stackErrorCode(() => createOidcIssuer({ dir: '', issuerUrl }))).toBe('STACK_INPUT_INVALID');
  });

  it('keeps its key in the state dir (PKCS#8 PEM, mode 0600) and reuses it on restart', async () => {
    const keyFile = join(state.dir, 'signing-key.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const token = await issuer.mint();
    const again = createOidcIssuer({ dir: state.dir, issuerUrl });
    expect(again.kid).toBe(issuer.kid);
    expect(again.jwks).toEqual(issuer.jwks);
    server.setRoutes(again.routes);
    await verify(token);
    await verify(await again.mint());
  });

  it('refuses a state dir whose key file is not a key', () => {
    const broken = temporaryDirectory('oidc-broken');
    try {
      createOidcIssuer({ dir: broken.dir, issuerUrl });
      const keyFile = join(broken.dir, 'signing-key.pem');
      writeFileSync(keyFile, 'not a key');
      expect(stackErrorCode(() => createOidcIssuer({ dir: broken.dir, issuerUrl }))).toBe('STACK_STATE_INVALID');
    } finally {
      broken.remove();
    }
  });
});
