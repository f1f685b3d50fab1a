import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitlabApi, type GitlabApiServer } from '@sigil/gitlab-api';
import { gitlabApi, readPublicKey, readSigningKey, storeKeyPair, type CiErrorCode } from '../src/index.js';

const TOKEN = 'glpat-maintainer-0123456789';
const keys = { privateKeyPem: '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n', publicKeyPem: '-----BEGIN PUBLIC KEY-----\nBBBB\n-----END PUBLIC KEY-----\n' };
const password = 'Correct.Horse~Battery:42';

let server: GitlabApiServer;
beforeEach(async () => {
  server = await startGitlabApi({
    projects: { 'acme/app': 42, 'acme/sub/lib': 43 },
    groups: { acme: 7 },
    tokens: { [TOKEN]: 'maintainer', 'glpat-developer-000000': 'developer' },
  });
});
afterEach(() => server.close());

const api = (token = TOKEN) => gitlabApi({ host: server.url, token, http: { retries: 0 } });

async function expectCode(promise: Promise<unknown>, code: CiErrorCode): Promise<Error> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect((err as { code?: string }).code).toBe(code);
  return err as Error;
}

describe('storeKeyPair (generate-key-pair gitlab://)', () => {
  it('stores the three variables in a project: key and password protected, password masked', async () => {
    const stored = await storeKeyPair(api(), 'acme/app', { ...keys, password });
    expect(stored).toEqual({ owner: { kind: 'project', reference: 'acme/app' }, protected: true, passwordMasked: true });
    const variables = server.variables('project:acme/app');
    expect(variables.get('COSIGN_PASSWORD')).toMatchObject({ value: password, protected: true, masked: true, raw: true });
    expect(variables.get('COSIGN_PRIVATE_KEY')).toMatchObject({ value: keys.privateKeyPem, protected: true, masked: false });
    expect(variables.get('COSIGN_PUBLIC_KEY')).toMatchObject({ value: keys.publicKeyPem, protected: false });
  });

  it('reads them back for signing and verifying, by path and by numeric id', async () => {
    await storeKeyPair(api(), 'acme/sub/lib', { ...keys, password });
    expect(await readSigningKey(api(), 'acme/sub/lib')).toEqual({ privateKeyPem: keys.privateKeyPem, password });
    expect(await readPublicKey(api(), '43')).toBe(keys.publicKeyPem);
  });

  it('a group reference stores group variables (after the project lookup fails)', async () => {
    await storeKeyPair(api(), 'acme', { ...keys, password });
    expect(server.variables('group:acme').size).toBe(3);
    expect(server.requests.slice(0, 2).map((r) => r.path)).toEqual(['/api/v4/projects/acme', '/api/v4/groups/acme']);
  });

  it("a group is looked up without the projects GitLab would embed in its answer (with_projects=false)", async () => {
    // 4,000 projects of 7 arrays and objects each: more than a service response may hold.
    const large = await startGitlabApi({ projects: {}, groups: { acme: 7 }, tokens: { [TOKEN]: 'maintainer' }, groupProjects: 4_000 });
    try {
      await storeKeyPair(gitlabApi({ host: large.url, token: TOKEN, http: { retries: 0 } }), 'acme', { ...keys, password });
      expect(large.variables('group:acme').size).toBe(3);
      expect(large.requests[1]).toEqual({ method: 'GET', path: '/api/v4/groups/acme', query: '?with_projects=false' });
    } finally {
      await large.close();
    }
  });

  it('cosign-style storage on request: unprotected, password unmasked', async () => {
    await storeKeyPair(api(), 'acme/app', { ...keys, password: 'short', protected: false, maskPassword: false });
    expect(server.variables('project:acme/app').get('COSIGN_PASSWORD')).toMatchObject({ protected: false, masked: false });
  });

  it('a password GitLab cannot mask is refused before anything is written', async () => {
    const err = await expectCode(storeKeyPair(api(), 'acme/app', { ...keys, password: 'has space!' }), 'CI_GITLAB_PASSWORD_NOT_MASKABLE');
    expect(err.message).not.toContain('has space!');
    expect(server.requests).toEqual([]);
  });

  it('existing variables are never overwritten (GitLab answers 400 "has already been taken")', async () => {
    await storeKeyPair(api(), 'acme/app', { ...keys, password });
    const err = await expectCode(storeKeyPair(api(), 'acme/app', { ...keys, password: 'Another.Password1' }), 'CI_GITLAB_VARIABLE_EXISTS');
    expect(err.message).toContain('COSIGN_PASSWORD');
    expect(server.variables('project:acme/app').get('COSIGN_PASSWORD')!.value).toBe(password);
  });
});

describe('failures', () => {
  it('an unknown project or group', async () => {
    await expectCode(readPublicKey(api(), 'acme/nope'), 'CI_GITLAB_NOT_FOUND');
  });

  it('a refused token (401) never shows the token', async () => {
    const err = await expectCode(readSigningKey(api('glpat-wrong-token-99'), 'acme/app'), 'CI_GITLAB_UNAUTHORIZED');
    expect(JSON.stringify({ ...err, text: err.message })).not.toContain('glpat-wrong-token-99');
  });

  it('a token without the Maintainer role (403)', async () => {
    await expectCode(storeKeyPair(api('glpat-developer-000000'), 'acme/app', { ...keys, password }), 'CI_GITLAB_FORBIDDEN');
  });

  it('a missing variable (404) says how to create the key pair', async () => {
    const err = await expectCode(readSigningKey(api(), 'acme/app'), 'CI_GITLAB_VARIABLE_MISSING');
    expect((err as { hint?: string }).hint).toContain('generate-key-pair gitlab://acme/app');
  });

  it('no token at all', () => {
    expect(() => gitlabApi({ host: server.url, token: '' })).toThrow(expect.objectContaining({ code: 'CI_GITLAB_TOKEN_MISSING' }));
  });

  it('a reference that is not a GitLab path', async () => {
    await expectCode(readPublicKey(api(), '../../etc'), 'CI_PROJECT_INVALID');
  });
});
