import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  chainTokenSources,
  defaultTokenSource,
  envTokenSource,
  fileTokenSource,
  flagTokenSource,
  GITLAB_ID_TOKENS_BLOCK,
  MAX_TOKEN_LENGTH,
  staticTokenSource,
} from '../src/index.js';
import { expectNoLeak, expectOidcError, gitlabClaims, mint } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sigil-oidc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const token = await mint(gitlabClaims());
const other = await mint(gitlabClaims({ sub: 'project_path:other/project:ref_type:branch:ref:main' }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('token sources', () => {
  it('a static token, trimmed', async () => {
    expect(await staticTokenSource(` ${token}\n`).getToken()).toBe(token);
    await expectOidcError(() => staticTokenSource('  ').getToken(), 'OIDC_TOKEN_MISSING');
  });

  it('--identity-token: the token, or @file (with its trailing newline), or nothing', async () => {
    expect(await flagTokenSource(token).getToken()).toBe(token);
    expect(await flagTokenSource(`@${file('token.txt', `${token}\n`)}`).getToken()).toBe(token);
    await expectOidcError(() => flagTokenSource(undefined).getToken(), 'OIDC_TOKEN_MISSING');
    await expectOidcError(() => flagTokenSource('').getToken(), 'OIDC_TOKEN_MISSING');
  });

  it('SIGSTORE_ID_TOKEN, or another variable, read when asked', async () => {
    const env: Record<string, string | undefined> = {};
    const source = envTokenSource(undefined, env);
    await expectOidcError(() => source.getToken(), 'OIDC_TOKEN_MISSING');
    env.SIGSTORE_ID_TOKEN = `${token}\n`;
    expect(await source.getToken()).toBe(token);
    env.SIGSTORE_ID_TOKEN = '   ';
    await expectOidcError(() => source.getToken(), 'OIDC_TOKEN_MISSING');
    expect(await envTokenSource('CI_JOB_JWT_SIGSTORE', { CI_JOB_JWT_SIGSTORE: token }).getToken()).toBe(token);
  });

  it('a file of up to 64 KiB', async () => {
    expect(await fileTokenSource(file('exact.txt', 'a'.repeat(MAX_TOKEN_LENGTH))).getToken()).toHaveLength(MAX_TOKEN_LENGTH);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.txt')],
    ['a directory', () => (mkdirSync(join(dir, 'sub'), { recursive: true }), join(dir, 'sub'))],
    ['an empty file', () => file('empty.txt', '\n\n')],
    ['a file too large for a token', () => file('large.txt', 'a'.repeat(MAX_TOKEN_LENGTH + 1))],
    ['a file that is not UTF-8', () => file('binary.txt', Uint8Array.of(0xff, 0xfe, 0x00, 0x41))],
    ['no path', () => ''],
  ])('refuses %s', async (_name, path) => {
    await expectOidcError(() => fileTokenSource(path()).getToken(), 'OIDC_TOKEN_FILE_UNREADABLE');
    await expectOidcError(() => flagTokenSource(`@${path()}`).getToken(), 'OIDC_TOKEN_FILE_UNREADABLE');
  });
});

describe('a chain of sources', () => {
  const env = { SIGSTORE_ID_TOKEN: other };

  it('takes the flag before SIGSTORE_ID_TOKEN, and the variable when there is no flag', async () => {
    expect(await defaultTokenSource({ flag: token, env }).getToken()).toBe(token);
    expect(await defaultTokenSource({ env }).getToken()).toBe(other);
    expect(await chainTokenSources([flagTokenSource(undefined), envTokenSource(undefined, env)]).getToken()).toBe(other);
  });

  it('stops at a flag whose file cannot be read rather than use another token', async () => {
    await expectOidcError(() => defaultTokenSource({ flag: `@${join(dir, 'nope.txt')}`, env }).getToken(), 'OIDC_TOKEN_FILE_UNREADABLE');
  });

  it('says where it looked when no source has a token, and how to get one in GitLab CI', async () => {
    const err = await expectOidcError(() => defaultTokenSource({ env: {} }).getToken(), 'OIDC_TOKEN_MISSING');
    expect(err.hint).toContain(GITLAB_ID_TOKENS_BLOCK);
    await expectOidcError(() => chainTokenSources([]).getToken(), 'OIDC_TOKEN_MISSING');
  });

  it('passes on errors other than a missing token', async () => {
    const broken = { description: 'broken', getToken: () => Promise.reject(new Error('boom')) };
    await expect(chainTokenSources([broken, staticTokenSource(token)]).getToken()).rejects.toThrow('boom');
  });

  it('its errors show no token', async () => {
    const err = await expectOidcError(() => defaultTokenSource({ flag: `@${file('bad.txt', Uint8Array.of(0xff))}`, env }).getToken(), 'OIDC_TOKEN_FILE_UNREADABLE');
    expectNoLeak(err, other);
  });
});
