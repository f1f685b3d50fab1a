import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryTestError, buildTestImage, pushTestImage, startOciRegistry, type OciRegistry } from '../src/index.js';
import { ACCEPT_OCI, DEFAULT_IMAGE_DIGEST, errorCode } from './helpers.js';

// Both auth kinds of the in-repo registry: right, wrong and missing credentials, and the token flow.
const user = { username: 'ci-user', password: 's3cret-pass' };
const basicHeader = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const image = buildTestImage();
let basic: OciRegistry;
let bearer: OciRegistry;

beforeAll(async () => {
  [basic, bearer] = await Promise.all([startOciRegistry({ auth: { kind: 'basic', ...user } }), startOciRegistry({ auth: { kind: 'bearer', ...user } })]);
});
afterAll(() => Promise.all([basic.close(), bearer.close()]));

async function token(registry: OciRegistry, scope: string, authorization = basicHeader(user.username, user.password)): Promise<string> {
  const res = await fetch(`${registry.url}/token?service=sigil-test-registry&scope=${encodeURIComponent(scope)}`, { headers: { authorization } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { token: string; access_token: string; expires_in: number };
  expect(body.access_token).toBe(body.token);
  expect(body.expires_in).toBe(300);
  return body.token;
}

describe('basic auth', () => {
  it.each([
    ['missing', undefined],
    ['a wrong password', basicHeader(user.username, 'wrong')],
    ['a wrong user', basicHeader('someone', user.password)],
    ['a password with extra text', basicHeader(user.username, `${user.password}x`)],
    ['not base64', 'Basic %%%'],
    ['a bearer token', 'Bearer abc'],
  ])('refuses %s credentials with 401 and a Basic challenge', async (_, authorization) => {
    for (const path of ['/v2/', '/v2/test/hello/manifests/v1', '/v2/test/hello/blobs/uploads/']) {
      const res = await fetch(`${basic.url}${path}`, { method: path.endsWith('uploads/') ? 'POST' : 'GET', headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="sigil-test-registry"');
      expect(await errorCode(res)).toBe('UNAUTHORIZED');
    }
  });

  it('lets the right credentials in, and pushTestImage with them gets the pinned digest', async () => {
    const res = await fetch(`${basic.url}/v2/`, { headers: { authorization: basicHeader(user.username, user.password) } });
    expect(res.status).toBe(200);
    const pushed = await pushTestImage(basic.url, 'test/hello', 'v1', image, user);
    expect(pushed).toEqual({ digest: DEFAULT_IMAGE_DIGEST, reference: `${basic.host}/test/hello@${DEFAULT_IMAGE_DIGEST}` });
    const manifest = await fetch(`${basic.url}/v2/test/hello/manifests/v1`, { headers: { ...ACCEPT_OCI, authorization: basicHeader(user.username, user.password) } });
    expect(manifest.headers.get('docker-content-digest')).toBe(DEFAULT_IMAGE_DIGEST);
  });

  it('has no token endpoint', async () => {
    const res = await fetch(`${basic.url}/token?service=sigil-test-registry`, { headers: { authorization: basicHeader(user.username, user.password) } });
    expect(res.status).toBe(404);
  });

  it('pushTestImage without or with wrong credentials fails with REGISTRY_PUSH_FAILED, the password in no message', async () => {
    for (const auth of [undefined, { username: user.username, password: 'wrong-password' }]) {
      const err = await pushTestImage(basic.url, 'test/hello', 'v2', image, auth).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegistryTestError);
      expect((err as RegistryTestError).code).toBe('REGISTRY_PUSH_FAILED');
      expect((err as Error).message).not.toContain('wrong-password');
    }
  });
});

describe('bearer auth', () => {
  it('challenges GET /v2/ with the realm and service, and repository endpoints with their scope', async () => {
    const base = await fetch(`${bearer.url}/v2/`);
    expect(base.status).toBe(401);
    expect(base.headers.get('www-authenticate')).toBe(`Bearer realm="${bearer.url}/token",service="sigil-test-registry"`);
    const repo = await fetch(`${bearer.url}/v2/test/hello/manifests/v1`);
    expect(repo.status).toBe(401);
    expect(repo.headers.get('www-authenticate')).toBe(`Bearer realm="${bearer.url}/token",service="sigil-test-registry",scope="repository:test/hello:pull,push"`);
    expect(await errorCode(repo)).toBe('UNAUTHORIZED');
  });

  it('issues a token for the right Basic credentials, and accepts it for that repository', async () => {
    const issued = await token(bearer, 'repository:test/hello:pull,push');
    const headers = { ...ACCEPT_OCI, authorization: `Bearer ${issued}` };
    expect((await fetch(`${bearer.url}/v2/`, { headers })).status).toBe(200);
    const pushed = await pushTestImage(bearer.url, 'test/hello', 'v1', image, user);
    expect(pushed.digest).toBe(DEFAULT_IMAGE_DIGEST);
    const manifest = await fetch(`${bearer.url}/v2/test/hello/manifests/v1`, { headers });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(DEFAULT_IMAGE_DIGEST);
  });

  it.each([
    ['no', undefined],
    ['a wrong password', basicHeader(user.username, 'wrong')],
    ['a wrong user', basicHeader('nobody', user.password)],
  ])('refuses %s credentials at the token endpoint with 401', async (_, authorization) => {
    const res = await fetch(`${bearer.url}/token?service=sigil-test-registry&scope=repository:test/hello:pull`, { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('refuses a token request for another service or with a malformed scope (400)', async () => {
    const authorization = basicHeader(user.username, user.password);
    for (const query of ['service=other&scope=repository:test/hello:pull', 'scope=repository:test/hello:pull', 'service=sigil-test-registry&scope=repository:BAD:pull', 'service=sigil-test-registry&scope=nonsense']) {
      const res = await fetch(`${bearer.url}/token?${query}`, { headers: { authorization } });
      expect(res.status).toBe(400);
    }
  });

  it('refuses a token outside its scope: another repository, or push with a pull-only token (insufficient_scope)', async () => {
    const pullOnly = await token(bearer, 'repository:test/hello:pull');
    const other = await fetch(`${bearer.url}/v2/test/other/tags/list`, { headers: { authorization: `Bearer ${pullOnly}` } });
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const push = await fetch(`${bearer.url}/v2/test/hello/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${pullOnly}` } });
    expect(push.status).toBe(401);
    expect(await errorCode(push)).toBe('UNAUTHORIZED');
    const pull = await fetch(`${bearer.url}/v2/test/hello/tags/list`, { headers: { authorization: `Bearer ${pullOnly}` } });
    expect(pull.status).toBe(200);
  });

  it('grants several scopes in one token, * meaning pull and push', async () => {
    const issued = await token(bearer, 'repository:test/a:* repository:test/b:pull');
    const headers = { authorization: `Bearer ${issued}` };
    expect((await fetch(`${bearer.url}/v2/test/a/blobs/uploads/`, { method: 'POST', headers })).status).toBe(202);
    expect((await fetch(`${bearer.url}/v2/test/b/blobs/uploads/`, { method: 'POST', headers })).status).toBe(401);
  });

  it('refuses a token it never issued (invalid_token) and Basic credentials in place of a token', async () => {
    const forged = await fetch(`${bearer.url}/v2/test/hello/manifests/v1`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const basicInstead = await fetch(`${bearer.url}/v2/test/hello/manifests/v1`, { headers: { authorization: basicHeader(user.username, user.password) } });
    expect(basicInstead.status).toBe(401);
  });

  it('a token from one registry means nothing to another', async () => {
    const other = await startOciRegistry({ auth: { kind: 'bearer', ...user } });
    try {
      const issued = await token(bearer, 'repository:test/hello:pull');
      expect((await fetch(`${other.url}/v2/test/hello/tags/list`, { headers: { authorization: `Bearer ${issued}` } })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('pushTestImage without credentials fails with REGISTRY_PUSH_FAILED', async () => {
    const err = await pushTestImage(bearer.url, 'test/hello', 'v3', image).catch((e: unknown) => e);
    expect((err as RegistryTestError).code).toBe('REGISTRY_PUSH_FAILED');
  });
});
