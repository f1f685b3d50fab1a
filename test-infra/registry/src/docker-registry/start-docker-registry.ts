import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChild, type RunningChild } from './child-process.js';
import { findFreePort } from './free-port.js';
import { INSTALL_HINT } from './install-hint.js';
import { bcryptHtpasswdLine } from './htpasswd.js';
import { registryConfig } from './registry-config.js';
import { RegistryTestError } from '../errors.js';
import { checkOptionalInteger, checkOptionalObject, checkString } from '../options.js';

export interface DockerRegistryOptions {
  /** htpasswd (bcrypt) basic auth; anonymous when absent. */
  auth?: { username: string; password: string };
  /** Default /usr/bin/docker-registry (Debian's docker-registry package, 2.8). */
  binary?: string;
  /** Default htpasswd from PATH (apache2-utils). */
  htpasswdBinary?: string;
  /** How long to wait for GET /v2/ to answer. Default 15 s. */
  startTimeoutMs?: number;
}

export interface DockerRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, as in image references. */
  host: string;
  /** The registry process, for tests that check it is gone after close(). */
  pid: number;
  /** Kills the registry, waits for it to exit and removes its storage. */
  close(): Promise<void>;
}

const DEFAULT_BINARY = '/usr/bin/docker-registry';
const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 5;

/** Debian's real distribution registry (2.8: no referrers API, absolute upload Locations) on a free loopback port. */
export async function startDockerRegistry(options: DockerRegistryOptions = {}): Promise<DockerRegistry> {
  checkOptionalObject(options, 'options');
  const binary = options.binary === undefined ? DEFAULT_BINARY : checkString(options.binary, 'options.binary', { nonEmpty: true });
  const htpasswdBinary = options.htpasswdBinary === undefined ? 'htpasswd' : checkString(options.htpasswdBinary, 'options.htpasswdBinary', { nonEmpty: true });
  const timeoutMs = checkOptionalInteger(options.startTimeoutMs, 'options.startTimeoutMs', 1, 600_000) ?? 15_000;
  if (options.auth !== undefined) {
    checkOptionalObject(options.auth, 'options.auth');
    checkString(options.auth.username, 'options.auth.username', { nonEmpty: true, noColon: true });
    checkString(options.auth.password, 'options.auth.password', { secret: true });
  }
  if (!existsSync(binary)) {
    throw new RegistryTestError('REGISTRY_BINARY_MISSING', `docker-registry: expected the registry program at ${binary}, found nothing there`, { hint: INSTALL_HINT });
  }

  const dir = await mkdtemp(join(tmpdir(), 'sigil-docker-registry-'));
  try {
    let htpasswdPath: string | undefined;
    if (options.auth) {
      htpasswdPath = join(dir, 'htpasswd');
      await writeFile(htpasswdPath, await bcryptHtpasswdLine(htpasswdBinary, options.auth.username, options.auth.password), { mode: 0o600 });
    }
    const configPath = join(dir, 'config.yml');
    for (let attempt = 1; ; attempt++) {
      const port = await findFreePort(HOST);
      const address = `${HOST}:${port}`;
      const config = registryConfig({ storageDir: join(dir, 'storage'), address, secret: randomBytes(16).toString('hex'), htpasswdPath });
      await writeFile(configPath, config, { mode: 0o600 });
      const child = await startChild(binary, ['serve', configPath], dir);
      const outcome = await waitUntilReady(`http://${address}`, child, timeoutMs);
      if (outcome === 'ready') return handle(address, child, dir);
      await child.kill();
      if (outcome === 'port-taken' && attempt < PORT_ATTEMPTS) continue;
      throw new RegistryTestError(
        'REGISTRY_START_FAILED',
        outcome === 'timeout'
          ? `docker-registry: expected GET /v2/ to answer within ${timeoutMs} ms, found no answer; its output ends: ${child.tail().trim() || '(none)'}`
          : `docker-registry: expected it to keep running, found it exited (${describeExit(child)}); its output ends: ${child.tail().trim() || '(none)'}`,
        { details: { address, attempts: attempt } },
      );
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (err instanceof RegistryTestError) throw err;
    throw new RegistryTestError('REGISTRY_START_FAILED', `docker-registry: could not start (${(err as Error).message})`, { cause: err });
  }
}

/** Polls GET /v2/ (200 anonymous, 401 with htpasswd) while the child lives; a clash on the port shows in its output. */
async function waitUntilReady(url: string, child: RunningChild, timeoutMs: number): Promise<'ready' | 'port-taken' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await sleep(50);
    if (child.exited()) return /address already in use/i.test(child.tail()) ? 'port-taken' : 'exited';
    const status = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) }).then(
      async (res) => (await res.arrayBuffer(), res.status),
      () => 0,
    );
    // Checked again after the answer: a registry that lost the port race exits, and the answer came from someone else.
    if ((status === 200 || status === 401) && !child.exited()) return 'ready';
  }
  return 'timeout';
}

function handle(address: string, child: RunningChild, dir: string): DockerRegistry {
  let closing: Promise<void> | undefined;
  return {
    url: `http://${address}`,
    host: address,
    pid: child.pid,
    close() {
      closing ??= child.kill().then(() => rm(dir, { recursive: true, force: true }));
      return closing;
    },
  };
}

function describeExit(child: RunningChild): string {
  const status = child.exited();
  return status?.signal ? `signal ${status.signal}` : `exit code ${status?.code}`;
}
