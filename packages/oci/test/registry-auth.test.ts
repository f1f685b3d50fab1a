import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerRegistry, startOciRegistry, type OciRegistry } from '@sigil/registry';
import { createCredentialResolver, createRegistryClient, OciError, type RegistryClientOptions } from '../src/index.js';
import { expectOciError } from './helpers.js';
import { TEST_IMAGE_DIGEST, pushImage } from './registry-fixtures.js';

const user = { username: 'ci-user', password: 'right-password-1' };
const wrong = { username: 'ci-user', password: 'wrong-password-2' };
const quick: RegistryClientOptions['http'] = { retries: 0 };

function client(options: RegistryClientOptions = {}) {
  return createRegistryClient({ allowInsecure: true, http: quick, ...options });
}

/** No secret of ours in anything an error shows. */
function expectNoSecrets(err: OciError, ...secrets: string[]): void {
  const shown = JSON.stringify({ message: err.message, details: err.details, hint: err.hint, cause: String(err.cause) });
  for (const secret of secrets) {
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(Buffer.from(`${user.username}:${secret}`).toString('base64'));
  }
}

const servers = [
  { name: 'in-repo registry, Basic', start: () => startOciRegistry({ auth: { kind: 'basic', ...user } }) },
  { name: 'in-repo registry, bearer tokens', start: () => startOciRegistry({ auth: { kind: 'bearer', ...user } }) },
  { name: 'docker-registry 2.8, htpasswd Basic', start: () => startDockerRegistry({ auth: user }) },
];

describe.each(servers)('$name', ({ start }) => {
  let registry: { host: string; close(): Promise<void>; requests?: OciRegistry['requests'] };
  let repo: string;
  beforeAll(async () => {
    registry = await start();
    repo = `${registry.host}/auth/hello`;
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('the right credentials push and pull; auth is learnt once, not re-challenged on every request', async () => {
    const authed = client({ credentials: user });
    expect(await pushImage(authed, repo)).toBe(TEST_IMAGE_DIGEST);
    const before = registry.requests?.length ?? 0;
    expect((await authed.resolveDigest(`${repo}:v1`)).digest).toBe(TEST_IMAGE_DIGEST);
    expect((await authed.getManifest(`${repo}:v1`)).descriptor.digest).toBe(TEST_IMAGE_DIGEST);
    expect(await authed.listTags(repo)).toContain('v1');
    if (registry.requests) {
      // The push token covers pulls too: no 401 and no new token.
      const after = registry.requests.slice(before);
      expect(after.filter((r) => r.status === 401)).toEqual([]);
      expect(after.filter((r) => r.path === '/token')).toEqual([]);
    }
  });

  it('credentials from a resolver (docker config) work the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigil-oci-auth-'));
    try {
      mkdirSync(join(dir, 'docker'));
      const auth = Buffer.from(`${user.username}:${user.password}`).toString('base64');
      writeFileSync(join(dir, 'docker', 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
      const authed = client({ credentials: createCredentialResolver({ env: { DOCKER_CONFIG: join(dir, 'docker') } }) });
      expect((await authed.resolveDigest(`${repo}:v1`)).digest).toBe(TEST_IMAGE_DIGEST);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('wrong credentials: OCI_AUTH_FAILED for pull and push, the password nowhere', async () => {
    const refused = client({ credentials: wrong });
    expectNoSecrets(await expectOciError(refused.resolveDigest(`${repo}:v1`), 'OCI_AUTH_FAILED'), wrong.password);
    expectNoSecrets(await expectOciError(refused.pushBlob(repo, new Uint8Array([1, 2, 3])), 'OCI_AUTH_FAILED'), wrong.password);
  });

  it('no credentials: OCI_AUTH_REQUIRED', async () => {
    await expectOciError(client().getManifest(`${repo}:v1`), 'OCI_AUTH_REQUIRED');
    await expectOciError(client({ credentials: () => undefined }).listTags(repo), 'OCI_AUTH_REQUIRED');
  });

  it('a resolver that fails is OCI_CREDENTIALS_INVALID; bad credentials are refused before sending', async () => {
    await expectOciError(client({ credentials: () => Promise.reject(new Error('keychain locked')) }).listTags(repo), 'OCI_CREDENTIALS_INVALID');
    await expectOciError(client({ credentials: { username: 'a:b', password: 'x' } }).listTags(repo), 'OCI_CREDENTIALS_INVALID');
    await expectOciError(client({ credentials: { username: 'a', password: '' } }).listTags(repo), 'OCI_CREDENTIALS_INVALID');
  });
});

describe('bearer tokens', () => {
  let registry: OciRegistry;
  beforeAll(async () => {
    registry = await startOciRegistry({ auth: { kind: 'bearer', ...user } });
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('one token per repository and access, reused until it expires', async () => {
    const authed = client({ credentials: user });
    const repo = `${registry.host}/tokens/one`;
    await pushImage(authed, repo);
    for (let i = 0; i < 3; i++) await authed.resolveDigest(`${repo}:v1`);
    await authed.resolveDigest(`${registry.host}/tokens/one:v1`);
    expect(registry.requests.filter((r) => r.path === '/token').length).toBe(1);
    // Another repository needs its own token.
    await expectOciError(authed.resolveDigest(`${registry.host}/tokens/two:v1`), 'OCI_NOT_FOUND');
    expect(registry.requests.filter((r) => r.path === '/token').length).toBe(2);
  });
});
