import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCredentialResolver, resolveCredentials } from '../src/index.js';
import { expectOciError } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-oci-creds-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

function dockerConfig(config: unknown, sub = 'docker'): string {
  const configDir = join(dir, sub);
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return configDir;
}

function plain(credentials: ReturnType<typeof resolveCredentials>) {
  return credentials === undefined ? undefined : { username: credentials.username, password: credentials.password, source: credentials.source };
}

describe('docker config', () => {
  it('reads auths[host].auth (base64 user:password, the password may hold colons)', () => {
    const DOCKER_CONFIG = dockerConfig({ auths: { '127.0.0.1:5000': { auth: b64('alice:pa:ss') } } });
    expect(plain(resolveCredentials('127.0.0.1:5000', { env: { DOCKER_CONFIG }, homeDir: dir }))).toEqual({
      username: 'alice',
      password: 'pa:ss',
      source: 'docker-config',
    });
  });

  it('reads username and password fields, and keys written as URLs', () => {
    const DOCKER_CONFIG = dockerConfig({ auths: { 'https://registry.example.com/v2/': { username: 'bob', password: 'pw' } } });
    expect(plain(resolveCredentials('registry.example.com', { env: { DOCKER_CONFIG } }))).toEqual({ username: 'bob', password: 'pw', source: 'docker-config' });
  });

  it("Docker Hub's key https://index.docker.io/v1/ serves docker.io", () => {
    const DOCKER_CONFIG = dockerConfig({ auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') } } });
    expect(resolveCredentials('docker.io', { env: { DOCKER_CONFIG } })?.username).toBe('hubuser');
  });

  it('matches host names without regard to case, but a port must match', () => {
    const DOCKER_CONFIG = dockerConfig({ auths: { 'Registry.Example.com': { auth: b64('u:p') } } });
    expect(resolveCredentials('registry.example.COM', { env: { DOCKER_CONFIG } })?.username).toBe('u');
    expect(resolveCredentials('registry.example.com:5000', { env: { DOCKER_CONFIG } })).toBeUndefined();
  });

  it('without DOCKER_CONFIG reads ~/.docker/config.json', () => {
    dockerConfig({ auths: { 'r.example': { auth: b64('home:pw') } } }, '.docker');
    expect(resolveCredentials('r.example', { env: {}, homeDir: dir })?.username).toBe('home');
  });

  it('no file, no entry, or an entry with nothing usable: anonymous', () => {
    expect(resolveCredentials('r.example', { env: {}, homeDir: dir })).toBeUndefined();
    const DOCKER_CONFIG = dockerConfig({ auths: { 'other.example': { auth: b64('u:p') }, 'r.example': {} } });
    expect(resolveCredentials('r.example', { env: { DOCKER_CONFIG } })).toBeUndefined();
    expect(resolveCredentials('third.example', { env: { DOCKER_CONFIG } })).toBeUndefined();
  });

  /** A docker-credential-NAME script on PATH that knows one server: r.example (user u, secret s3cret). */
  function withHelper(name: string, reply = '{"ServerURL":"r.example","Username":"u","Secret":"s3cret"}'): () => void {
    const bin = join(dir, `bin-${name}`);
    mkdirSync(bin);
    const script = join(bin, `docker-credential-${name}`);
    writeFileSync(script, `#!/bin/sh\n[ "$1" = get ] || exit 2\nread server\nif [ "$server" = r.example ]; then echo '${reply}'; else echo "credentials not found in native keychain"; exit 1; fi\n`);
    chmodSync(script, 0o755);
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved}`;
    return () => void (process.env.PATH = saved);
  }

  it('credHelpers and credsStore are run as docker runs them (docker-credential-NAME get), before auths', () => {
    const restore = withHelper('test');
    try {
      const helper = dockerConfig({ credHelpers: { 'r.example': 'test' }, auths: { 'r.example': { auth: b64('file:filepass') } } }, 'a');
      expect(plain(resolveCredentials('r.example', { env: { DOCKER_CONFIG: helper } }))).toEqual({ username: 'u', password: 's3cret', source: 'docker-config' });
      const store = dockerConfig({ credsStore: 'test', auths: { 'r.example': {} } }, 'b');
      expect(resolveCredentials('r.example', { env: { DOCKER_CONFIG: store } })?.username).toBe('u');
      // Not found by the helper: the file's entry, else anonymous.
      const fallback = dockerConfig({ credsStore: 'test', auths: { 'other.example': { auth: b64('o:op') } } }, 'c');
      expect(resolveCredentials('other.example', { env: { DOCKER_CONFIG: fallback } })?.username).toBe('o');
      expect(resolveCredentials('third.example', { env: { DOCKER_CONFIG: fallback } })).toBeUndefined();
    } finally {
      restore();
    }
  });

  it('a helper that is missing, fails or holds an identity token: typed errors without secrets', async () => {
    const missing = dockerConfig({ credHelpers: { 'r.example': 'not-installed-anywhere' } }, 'a');
    await expectOciError(() => resolveCredentials('r.example', { env: { DOCKER_CONFIG: missing } }), 'OCI_CREDENTIALS_HELPER_FAILED');
    await expectOciError(() => resolveCredentials('r.example', { env: { DOCKER_CONFIG: dockerConfig({ credHelpers: { 'r.example': '../evil' } }, 'b') } }), 'OCI_CREDENTIALS_INVALID');
    const restore = withHelper('token', '{"ServerURL":"r.example","Username":"<token>","Secret":"refresh-secret"}');
    try {
      const err = await expectOciError(() => resolveCredentials('r.example', { env: { DOCKER_CONFIG: dockerConfig({ credsStore: 'token' }, 'c') } }), 'OCI_CREDENTIALS_UNSUPPORTED');
      expect(JSON.stringify({ m: err.message, d: err.details, h: err.hint })).not.toContain('refresh-secret');
    } finally {
      restore();
    }
    const identity = dockerConfig({ auths: { 'r.example': { identitytoken: 'refresh-secret' } } }, 'd');
    const err = await expectOciError(() => resolveCredentials('r.example', { env: { DOCKER_CONFIG: identity } }), 'OCI_CREDENTIALS_UNSUPPORTED');
    expect(JSON.stringify({ m: err.message, d: err.details, h: err.hint })).not.toContain('refresh-secret');
  });

  it('a broken config is OCI_CREDENTIALS_INVALID, without showing its secrets', async () => {
    const cases: unknown[] = [
      '{not json',
      '[]',
      { auths: [] },
      { auths: { 'r.example': 'text' } },
      { auths: { 'r.example': { auth: '!!!not-base64-secret' } } },
      { auths: { 'r.example': { auth: b64('no-colon-secret') } } },
      { auths: { 'r.example': { auth: b64(':emptyuser') } } },
      { credHelpers: 'x' },
    ];
    for (const [i, config] of cases.entries()) {
      const DOCKER_CONFIG = dockerConfig(config, `bad${i}`);
      const err = await expectOciError(() => resolveCredentials('r.example', { env: { DOCKER_CONFIG } }), 'OCI_CREDENTIALS_INVALID');
      expect(err.message).not.toMatch(/secret|emptyuser/);
    }
  });

  it('an oversized or unreadable config is OCI_CREDENTIALS_INVALID', async () => {
    const big = dockerConfig(`{"auths":{},"pad":"${'x'.repeat(1024 * 1024)}"}`, 'big');
    await expectOciError(() => resolveCredentials('r.example', { env: { DOCKER_CONFIG: big } }), 'OCI_CREDENTIALS_INVALID');
    const asDir = join(dir, 'dirconfig');
    mkdirSync(join(asDir, 'config.json'), { recursive: true });
    await expectOciError(() => resolveCredentials('r.example', { env: { DOCKER_CONFIG: asDir } }), 'OCI_CREDENTIALS_INVALID');
    if (process.getuid?.() !== 0) {
      const locked = dockerConfig({ auths: {} }, 'locked');
      chmodSync(join(locked, 'config.json'), 0o000);
      await expectOciError(() => resolveCredentials('r.example', { env: { DOCKER_CONFIG: locked } }), 'OCI_CREDENTIALS_INVALID');
    }
  });
});

describe('a hostile docker config', () => {
  it('config.json as a FIFO is refused at once, not read (a read would wait for a writer forever)', async () => {
    const fifoDir = join(dir, 'fifo');
    mkdirSync(fifoDir);
    const fifo = join(fifoDir, 'config.json');
    execFileSync('mkfifo', [fifo]);
    // Should the read block, this writer frees it after 3 s and the time taken shows it.
    const writer = spawn('sh', ['-c', `sleep 3; echo '{"auths":{}}' > '${fifo}'`], { stdio: 'ignore' });
    try {
      const started = Date.now();
      const err = await expectOciError(() => resolveCredentials('r.example', { env: { DOCKER_CONFIG: fifoDir } }), 'OCI_CREDENTIALS_INVALID');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(err.message).toContain('expected a regular file');
    } finally {
      writer.kill();
    }
  });

  it('config.json linked to /dev/zero is refused before any read', async () => {
    const zeroDir = join(dir, 'zero');
    mkdirSync(zeroDir);
    symlinkSync('/dev/zero', join(zeroDir, 'config.json'));
    const err = await expectOciError(() => resolveCredentials('r.example', { env: { DOCKER_CONFIG: zeroDir } }), 'OCI_CREDENTIALS_INVALID');
    expect(err.message).toContain('expected a regular file');
  });
});

describe('GitLab CI variables', () => {
  const gitlab = { CI_REGISTRY: 'registry.gitlab.example:5050', CI_REGISTRY_USER: 'gitlab-ci-token', CI_REGISTRY_PASSWORD: 'job-token-secret' };

  it("are used for the job's registry only", () => {
    expect(plain(resolveCredentials('registry.gitlab.example:5050', { env: gitlab, homeDir: dir }))).toEqual({
      username: 'gitlab-ci-token',
      password: 'job-token-secret',
      source: 'gitlab-ci',
    });
    expect(resolveCredentials('registry.gitlab.example', { env: gitlab, homeDir: dir })).toBeUndefined();
    expect(resolveCredentials('docker.io', { env: gitlab, homeDir: dir })).toBeUndefined();
  });

  it('are skipped when incomplete', () => {
    expect(resolveCredentials('registry.gitlab.example:5050', { env: { ...gitlab, CI_REGISTRY_PASSWORD: '' }, homeDir: dir })).toBeUndefined();
  });
});

describe('precedence and flags', () => {
  it('flags, then GitLab CI, then the docker config', () => {
    const DOCKER_CONFIG = dockerConfig({ auths: { 'r.example': { auth: b64('docker:pw') } } });
    const env = { DOCKER_CONFIG, CI_REGISTRY: 'r.example', CI_REGISTRY_USER: 'ci', CI_REGISTRY_PASSWORD: 'cipw' };
    expect(resolveCredentials('r.example', { env, username: 'flag', password: 'flagpw' })?.source).toBe('flags');
    expect(resolveCredentials('r.example', { env })?.source).toBe('gitlab-ci');
    expect(resolveCredentials('r.example', { env: { DOCKER_CONFIG } })?.source).toBe('docker-config');
    // Flags serve every registry.
    expect(resolveCredentials('elsewhere.example', { env, username: 'flag', password: 'flagpw' })?.username).toBe('flag');
  });

  it('a user name without a password (or the reverse) is OCI_CREDENTIALS_INVALID, at once for a resolver', async () => {
    await expectOciError(() => resolveCredentials('r.example', { env: {}, username: 'flag' }), 'OCI_CREDENTIALS_INVALID');
    const err = await expectOciError(() => createCredentialResolver({ env: {}, password: 'lonely-secret' }), 'OCI_CREDENTIALS_INVALID');
    expect(err.message).not.toContain('lonely-secret');
  });

  it('createCredentialResolver resolves per registry', async () => {
    const DOCKER_CONFIG = dockerConfig({ auths: { 'a.example': { auth: b64('a:pw') } } });
    const resolve = createCredentialResolver({ env: { DOCKER_CONFIG } });
    expect((await resolve('a.example'))?.username).toBe('a');
    expect(await resolve('b.example')).toBeUndefined();
  });

  it('resolved credentials never show the password when printed, serialised or inspected', () => {
    const credentials = resolveCredentials('r.example', { env: {}, username: 'flag', password: 'printed-secret' })!;
    expect(credentials.password).toBe('printed-secret');
    for (const text of [String(credentials), JSON.stringify(credentials), inspect(credentials), `${Object.values(credentials)}`]) {
      expect(text).not.toContain('printed-secret');
    }
  });
});
