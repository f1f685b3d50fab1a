import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { OidcError, type OidcErrorCode } from '../src/index.js';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

export const NOW = new Date('2025-06-01T12:00:00Z');
export const NOW_S = NOW.getTime() / 1000;

/** What a gitlab.com job that declares `id_tokens: SIGSTORE_ID_TOKEN: aud: sigstore` gets (shape from GitLab's docs). */
export function gitlabClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    namespace_id: '72',
    namespace_path: 'my-group',
    project_id: '20',
    project_path: 'my-group/my-project',
    user_id: '1',
    user_login: 'someone',
    user_email: 'someone@example.com',
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
    iat: NOW_S - 10,
    nbf: NOW_S - 15,
    exp: NOW_S + 290,
    sub: 'project_path:my-group/my-project:ref_type:branch:ref:main',
    aud: 'sigstore',
    ...overrides,
  };
}

export function emailClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: 'https://accounts.google.com',
    sub: '110169484474386276334',
    aud: 'sigstore',
    email: 'someone@example.com',
    email_verified: true,
    iat: NOW_S - 10,
    exp: NOW_S + 3590,
    ...overrides,
  };
}

/** A really signed ES256 token over `claims` (undefined values are left out). */
export function mint(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'ES256', kid: 'test-key', typ: 'JWT' }): Promise<string> {
  return new SignJWT(claims as never).setProtectedHeader(header as never).sign(privateKey);
}

/** A token assembled from raw parts, for shapes a signer would never produce. */
export function assemble(header: string, payload: string, signature = 'c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1sZWFr'): string {
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

/** Runs fn (sync or async) and returns the OidcError it throws, asserting its code. */
export async function expectOidcError(fn: () => unknown, code: OidcErrorCode): Promise<OidcError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(OidcError);
  expect((thrown as OidcError).code).toBe(code);
  return thrown as OidcError;
}

/** Everything an error shows, in every form it could be printed or logged. */
export function everythingShown(err: OidcError): string {
  return [
    JSON.stringify(err),
    JSON.stringify({ message: err.message, hint: err.hint, details: err.details, stack: err.stack, cause: String(err.cause) }),
    inspect(err, { depth: 20, showHidden: true }),
    String(err),
  ].join('\n');
}

/** Asserts that neither the token nor any of its parts (a signature above all) is shown. */
export function expectNoLeak(err: OidcError, secret: string): void {
  const shown = everythingShown(err);
  const leaked = [secret, ...secret.split('.').filter((part) => part.length >= 8)].filter((piece) => shown.includes(piece));
  expect(leaked).toEqual([]);
}
