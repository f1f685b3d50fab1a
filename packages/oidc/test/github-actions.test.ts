import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTokenSource, githubActionsTokenSource, type OidcErrorCode } from '../src/index.js';
import { everythingShown, expectOidcError, mint } from './helpers.js';

// A stand-in for GitHub's token service on 127.0.0.1: each path answers in its own way.
const REQUEST_TOKEN = 'ghs_request-token-that-must-never-be-shown-0123456789';
const token = await mint({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r:ref:refs/heads/main', aud: 'sigstore', job_workflow_ref: 'o/r/.github/workflows/release.yml@refs/heads/main' });
const seen: { url: string; authorization: string | undefined }[] = [];

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/ok': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: 1, value: token })),
  '/forbidden': (_req, res) => res.writeHead(403).end('{"message":"no id-token permission"}'),
  '/garbage': (_req, res) => res.writeHead(200).end('<html>not json</html>'),
  '/no-value': (_req, res) => res.writeHead(200).end('{"count":1}'),
  '/huge': (_req, res) => {
    res.writeHead(200);
    res.end(`{"value":"${'a'.repeat(200_000)}"}`);
  },
  '/slow': () => undefined,
  '/redirect': (_req, res) => res.writeHead(302, { location: '/ok' }).end(),
  '/drop': (req) => req.socket.destroy(),
};

const server = createServer((req, res) => {
  seen.push({ url: req.url!, authorization: req.headers.authorization });
  routes[new URL(req.url!, 'http://x').pathname]!(req, res);
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const envFor = (path: string) => ({ ACTIONS_ID_TOKEN_REQUEST_URL: `${base}${path}?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN });

describe("GitHub Actions' ID token request", () => {
  it('asks for audience sigstore with the request token, and returns the value', async () => {
    expect(await githubActionsTokenSource({ env: envFor('/ok') }).getToken()).toBe(token);
    const request = seen.at(-1)!;
    expect(new URL(request.url, base).searchParams.get('audience')).toBe('sigstore');
    expect(new URL(request.url, base).searchParams.get('api-version')).toBe('2.0');
    expect(request.authorization).toBe(`Bearer ${REQUEST_TOKEN}`);
  });

  it('comes after the flag and SIGSTORE_ID_TOKEN in the default chain', async () => {
    expect(await defaultTokenSource({ env: envFor('/ok') }).getToken()).toBe(token);
    expect(await defaultTokenSource({ env: { ...envFor('/ok'), SIGSTORE_ID_TOKEN: 'from-env' } }).getToken()).toBe('from-env');
    await expectOidcError(() => defaultTokenSource({ env: envFor('/ok'), githubActions: false }).getToken(), 'OIDC_TOKEN_MISSING');
  });

  it('has no token outside GitHub Actions', async () => {
    await expectOidcError(() => githubActionsTokenSource({ env: {} }).getToken(), 'OIDC_TOKEN_MISSING');
    await expectOidcError(() => githubActionsTokenSource({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: `${base}/ok` } }).getToken(), 'OIDC_TOKEN_MISSING');
  });

  const failures: [string, Record<string, string>, number?][] = [
    ['a 403 (no id-token permission)', envFor('/forbidden')],
    ['a reply that is not JSON', envFor('/garbage')],
    ['a reply without a value', envFor('/no-value')],
    ['a reply larger than any token', envFor('/huge')],
    ['no reply in time', envFor('/slow'), 200],
    ['a redirect', envFor('/redirect')],
    ['a dropped connection', envFor('/drop')],
    ['nothing listening', { ...envFor('/ok'), ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/ok' }],
    ['a URL that is not one', { ...envFor('/ok'), ACTIONS_ID_TOKEN_REQUEST_URL: 'not a url' }],
    ['plain http to another host', { ...envFor('/ok'), ACTIONS_ID_TOKEN_REQUEST_URL: 'http://example.com/token' }],
  ];

  it.each(failures)('fails on %s, showing neither token', async (_name, env, timeoutMs) => {
    const code: OidcErrorCode = 'OIDC_TOKEN_REQUEST_FAILED';
    const err = await expectOidcError(() => githubActionsTokenSource({ env, timeoutMs }).getToken(), code);
    expect(err.hint).toBeTruthy();
    const shown = everythingShown(err);
    expect(shown).not.toContain(REQUEST_TOKEN);
    expect(shown).not.toContain(token.split('.')[2]);
  });

  it('says the permission is missing on a 403', async () => {
    const err = await expectOidcError(() => githubActionsTokenSource({ env: envFor('/forbidden') }).getToken(), 'OIDC_TOKEN_REQUEST_FAILED');
    expect(err.details).toMatchObject({ status: 403 });
    expect(err.hint).toContain('id-token: write');
  });
});
