import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { RegistryTestError, buildTestImage, pushTestImage, sha256Digest, startDockerRegistry, type DockerRegistry, type DockerRegistryOptions } from '../src/index.js';
import { ACCEPT_CASES, ACCEPT_OCI, BUNDLE_TYPE, DEFAULT_IMAGE_DIGEST, EMPTY_CONFIG, OCI_MANIFEST, errorCode, manifestStatusByAccept, referrerManifest } from './helpers.js';

// Debian's docker-registry 2.8, started by the tests: anonymous and with htpasswd.
const user = { username: 'ci-user', password: 'htpasswd-pass' };
const basicHeader = (password: string) => ({ authorization: `Basic ${Buffer.from(`${user.username}:${password}`).toString('base64')}` });
const image = buildTestImage();
let anonymous: DockerRegistry;
let protectedRegistry: DockerRegistry;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'sigil-registry-test-'));
  [anonymous, protectedRegistry] = await Promise.all([startDockerRegistry(), startDockerRegistry({ auth: user })]);
});
afterAll(async () => {
  await Promise.all([anonymous?.close(), protectedRegistry?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

/** Alive and not a zombie waiting to be reaped (Linux /proc: the state follows the parenthesised name). */
function isRunning(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A signal sent to another process lands soon, not at once: look again for a few seconds. */
async function isGoneSoon(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isRunning(pid); i++) await sleep(50);
  return !isRunning(pid);
}

async function startError(options: DockerRegistryOptions): Promise<RegistryTestError> {
  const err = await startDockerRegistry(options).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RegistryTestError);
  return err as RegistryTestError;
}

describe('anonymous docker-registry 2.8', () => {
  it('answers GET /v2/ on loopback', async () => {
    expect(anonymous.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(anonymous.url).toBe(`http://${anonymous.host}`);
    const res = await fetch(`${anonymous.url}/v2/`);
    expect(res.status).toBe(200);
    expect(isRunning(anonymous.pid)).toBe(true);
  });

  it('takes the test image under the pinned digest and serves the same bytes', async () => {
    const pushed = await pushTestImage(anonymous.url, 'test/hello', 'v1', image);
    expect(pushed.digest).toBe(DEFAULT_IMAGE_DIGEST);
    const res = await fetch(`${anonymous.url}/v2/test/hello/manifests/v1`, { headers: ACCEPT_OCI });
    expect(res.headers.get('docker-content-digest')).toBe(DEFAULT_IMAGE_DIGEST);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(image.manifest);
  });

  it.each(ACCEPT_CASES)('serves an OCI manifest to %s as the in-repo registry does', async (_, accept, status) => {
    expect(await manifestStatusByAccept(anonymous.url, 'test/hello/manifests/v1', accept)).toEqual(
      status === 200 ? { get: 200, head: 200 } : { get: 404, head: 404, code: 'MANIFEST_UNKNOWN' },
    );
  });

  it('gives absolute upload Locations (the in-repo registry gives relative ones)', async () => {
    const res = await fetch(`${anonymous.url}/v2/test/hello/blobs/uploads/`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${anonymous.url}/v2/test/hello/blobs/uploads/[0-9a-f-]+\\?_state=`));
  });

  it('has no referrers API: /referrers/ answers 404 text/plain', async () => {
    const res = await fetch(`${anonymous.url}/v2/test/hello/referrers/${DEFAULT_IMAGE_DIGEST}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('404 page not found\n');
  });

  it('stores a manifest with a subject but sends no OCI-Subject', async () => {
    const layer = new TextEncoder().encode('{"bundle":true}');
    for (const blob of [EMPTY_CONFIG, layer]) {
      const start = await fetch(`${anonymous.url}/v2/test/hello/blobs/uploads/`, { method: 'POST' });
      const target = new URL(start.headers.get('location')!);
      target.searchParams.set('digest', sha256Digest(blob));
      expect((await fetch(target, { method: 'PUT', body: blob })).status).toBe(201);
    }
    const manifest = referrerManifest(layer, image.descriptor, { artifactType: BUNDLE_TYPE });
    const res = await fetch(`${anonymous.url}/v2/test/hello/manifests/${sha256Digest(manifest)}`, { method: 'PUT', body: manifest, headers: { 'content-type': OCI_MANIFEST } });
    expect(res.status).toBe(201);
    expect(res.headers.get('oci-subject')).toBeNull();
  });

  it('answers an unknown blob as the in-repo registry does (404 BLOB_UNKNOWN)', async () => {
    const res = await fetch(`${anonymous.url}/v2/test/hello/blobs/sha256:${'0'.repeat(64)}`);
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('BLOB_UNKNOWN');
  });
});

describe('docker-registry 2.8 with htpasswd', () => {
  it('challenges anonymous and wrong credentials with Basic', async () => {
    for (const headers of [{}, basicHeader('wrong')]) {
      const res = await fetch(`${protectedRegistry.url}/v2/`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="sigil-test-registry"');
      await res.arrayBuffer();
    }
    expect((await fetch(`${protectedRegistry.url}/v2/`, { headers: basicHeader(user.password) })).status).toBe(200);
  });

  it('takes the test image with the credentials, under the pinned digest', async () => {
    const pushed = await pushTestImage(protectedRegistry.url, 'test/hello', 'v1', image, user);
    expect(pushed).toEqual({ digest: DEFAULT_IMAGE_DIGEST, reference: `${protectedRegistry.host}/test/hello@${DEFAULT_IMAGE_DIGEST}` });
  });

  it('refuses a push without credentials (REGISTRY_PUSH_FAILED)', async () => {
    const err = await pushTestImage(protectedRegistry.url, 'test/hello', 'v2', image).catch((e: unknown) => e);
    expect((err as RegistryTestError).code).toBe('REGISTRY_PUSH_FAILED');
  });
});

describe('starting and stopping', () => {
  it('close() kills the process, waits for it, and is safe to call twice', async () => {
    const registry = await startDockerRegistry();
    expect(isRunning(registry.pid)).toBe(true);
    await registry.close();
    expect(isRunning(registry.pid)).toBe(false);
    await registry.close();
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });

  it('a test process ended by SIGTERM (as vitest ends its workers) takes its registry and storage with it', async () => {
    const script = join(scratch, 'forgotten-registry.mjs');
    await build({ entryPoints: [fileURLToPath(new URL('support/forgotten-registry.ts', import.meta.url))], outfile: script, bundle: true, platform: 'node', format: 'esm', logLevel: 'error' });
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ended = new Promise<string | null>((resolve) => child.once('exit', (_, signal) => resolve(signal)));
    const line = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text).includes('\n') && resolve(out));
      child.once('exit', () => resolve(out));
    });
    const { pid, config } = JSON.parse(line) as { pid: number; config: string };
    onTestFinished(() => void (isRunning(pid) && process.kill(pid, 'SIGKILL')));
    expect(isRunning(pid)).toBe(true);
    expect(existsSync(config)).toBe(true);
    child.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM'); // the signal's own outcome, raised again after the clean-up
    expect(await isGoneSoon(pid)).toBe(true);
    expect(existsSync(dirname(config))).toBe(false);
  });

  it('says to install docker-registry when the program is missing (REGISTRY_BINARY_MISSING)', async () => {
    const err = await startError({ binary: join(scratch, 'no-such-registry') });
    expect(err.code).toBe('REGISTRY_BINARY_MISSING');
    expect(err.hint).toContain('apt-get install docker-registry');
  });

  it('says the same when htpasswd is missing', async () => {
    const err = await startError({ auth: user, htpasswdBinary: join(scratch, 'no-such-htpasswd') });
    expect(err.code).toBe('REGISTRY_BINARY_MISSING');
  });

  it('reports a registry that exits at once, with its output (REGISTRY_START_FAILED)', async () => {
    const script = join(scratch, 'exits.sh');
    await writeFile(script, '#!/bin/sh\necho "configuration error: nothing works" >&2\nexit 3\n');
    await chmod(script, 0o755);
    const err = await startError({ binary: script });
    expect(err.code).toBe('REGISTRY_START_FAILED');
    expect(err.message).toContain('configuration error: nothing works');
  });

  it('gives up on a registry that never answers, and kills it (REGISTRY_START_FAILED)', async () => {
    const script = join(scratch, 'hangs.sh');
    const pidFile = join(scratch, 'hangs.pid');
    await writeFile(script, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 60\n`);
    await chmod(script, 0o755);
    const err = await startError({ binary: script, startTimeoutMs: 300 });
    expect(err.code).toBe('REGISTRY_START_FAILED');
    expect(isRunning(Number(await readFile(pidFile, 'utf8')))).toBe(false);
  });

  it.each<[string, unknown]>([
    ['options that are not an object', 7],
    ['an empty binary path', { binary: '' }],
    ['a zero timeout', { startTimeoutMs: 0 }],
    ['a user name with a colon', { auth: { username: 'a:b', password: 'p' } }],
    ['a password with a line break', { auth: { username: 'a', password: 'p\nq' } }],
  ])('refuses %s with REGISTRY_INPUT_INVALID', async (_, options) => {
    const err = await startError(options as DockerRegistryOptions);
    expect(err.code).toBe('REGISTRY_INPUT_INVALID');
  });
});
