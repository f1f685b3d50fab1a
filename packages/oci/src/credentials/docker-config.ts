import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBase64, EncodingError, parseJson, utf8Decode } from '@sigil/encoding';
import { OciError } from '../errors.js';
import { makeCredentials, type ResolvedCredentials } from './credentials.js';
import { helperCredentials } from './credential-helper.js';
import { registryKey } from './registry-key.js';
import { DOCKER_HUB } from '../reference.js';

const MAX_CONFIG_BYTES = 1024 * 1024;

/** Where docker keeps config.json: `$DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const fromEnv = env.DOCKER_CONFIG;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homeDir, '.docker');
}

/**
 * The credentials `docker login` keeps for `registry`, found as docker finds them
 * (docker/cli's GetCredentialsStore): the registry's `credHelpers` helper, else the
 * `credsStore` helper, else `<dir>/config.json`'s `auths` (`auth` = base64 of user:password,
 * or `username` and `password`). Helpers are run as `docker-credential-NAME get`. A missing
 * file or entry means none; identity tokens are not used (OCI_CREDENTIALS_UNSUPPORTED says so).
 */
export function dockerConfigCredentials(dir: string, registry: string): ResolvedCredentials | undefined {
  const path = join(dir, 'config.json');
  const config = readConfig(path);
  if (config === undefined) return undefined;
  const wanted = registryKey(registry);
  const auths = objectField(config, 'auths', path);
  const keys = Object.keys(auths ?? {});
  const key = keys.find((k) => k === registry) ?? keys.find((k) => registryKey(k) === wanted);
  const entry = key === undefined ? undefined : auths![key];
  if (entry !== undefined && (typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
    throw invalidConfig(path, `auths[${JSON.stringify(key)}] is not an object`);
  }

  const helpers = objectField(config, 'credHelpers', path);
  const helperKey = Object.keys(helpers ?? {}).find((k) => registryKey(k) === wanted);
  const helper = helperKey === undefined ? undefined : helpers![helperKey];
  const store = config.credsStore;
  // Docker Hub's server address in helpers is its v1 URL; other registries are their host.
  const serverAddress = wanted === DOCKER_HUB ? 'https://index.docker.io/v1/' : (helperKey ?? key ?? registry);
  if (typeof helper === 'string' && helper !== '') return helperCredentials(helper, serverAddress) ?? fileCredentials(entry, path, key);
  if (typeof store === 'string' && store !== '') return helperCredentials(store, serverAddress) ?? fileCredentials(entry, path, key);
  return fileCredentials(entry, path, key);
}

function fileCredentials(entry: unknown, path: string, key: string | undefined): ResolvedCredentials | undefined {
  if (entry === undefined) return undefined;
  const found = entryCredentials(entry as Record<string, unknown>, path, key!);
  if (found !== undefined) return found;
  if (typeof (entry as Record<string, unknown>).identitytoken === 'string') {
    throw new OciError('OCI_CREDENTIALS_UNSUPPORTED', `${path}: the credentials for ${registryKey(key!)} are an identity token, which this client does not use`, {
      details: { registry: registryKey(key!) },
      hint: 'Pass --registry-username and --registry-password, or log in with a user name and password.',
    });
  }
  return undefined;
}

function readConfig(path: string): Record<string, unknown> | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(path, MAX_CONFIG_BYTES);
  } catch (err) {
    if (err instanceof OciError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw invalidConfig(path, `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})`, err);
  }
  let value: unknown;
  try {
    value = parseJson(utf8Decode(bytes, path), 'JSON');
  } catch (err) {
    // The parser's own message may quote the file, credentials included; the shape check's names a limit and an offset.
    const shape = err instanceof EncodingError && err.code !== 'ENCODING_INVALID_JSON' && err.code !== 'ENCODING_INVALID_UTF8';
    throw invalidConfig(path, shape ? err.message : 'not UTF-8 JSON', shape ? err : undefined);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidConfig(path, 'expected a JSON object');
  return value as Record<string, unknown>;
}

/**
 * A regular file of at most `limit` bytes, checked on the open descriptor before reading: a
 * FIFO would block the read (opened without blocking, it is refused at once) and a link to
 * /dev/zero would never end.
 */
function readRegularFile(path: string, limit: number): Uint8Array {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw invalidConfig(path, 'expected a regular file');
    if (stat.size > limit) throw invalidConfig(path, `expected at most ${limit} bytes, found ${stat.size}`);
    // One byte more than allowed tells a file that grew since the check.
    const bytes = new Uint8Array(limit + 1);
    let total = 0;
    for (let n; total < bytes.length && (n = readSync(fd, bytes, total, bytes.length - total, null)) > 0; ) total += n;
    if (total > limit) throw invalidConfig(path, `expected at most ${limit} bytes, found more`);
    return bytes.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}

function objectField(config: Record<string, unknown>, name: string, path: string): Record<string, unknown> | undefined {
  const value = config[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidConfig(path, `${name} is not an object`);
  return value as Record<string, unknown>;
}

function entryCredentials(entry: Record<string, unknown>, path: string, key: string): ResolvedCredentials | undefined {
  const where = `auths[${JSON.stringify(key)}]`;
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    let text: string;
    try {
      text = utf8Decode(decodeBase64(entry.auth, `${where}.auth`), `${where}.auth`);
    } catch {
      throw invalidConfig(path, `${where}.auth is not base64 of UTF-8 text`);
    }
    const colon = text.indexOf(':');
    if (colon <= 0) throw invalidConfig(path, `${where}.auth: expected base64 of user:password, found no user name or ':'`);
    return makeCredentials(text.slice(0, colon), text.slice(colon + 1), 'docker-config');
  }
  const { username, password } = entry;
  if (typeof username === 'string' && username !== '' && typeof password === 'string' && password !== '') {
    return makeCredentials(username, password, 'docker-config');
  }
  return undefined;
}

function invalidConfig(path: string, reason: string, cause?: unknown): OciError {
  return new OciError('OCI_CREDENTIALS_INVALID', `docker config ${path}: ${reason}`, {
    cause,
    hint: 'Fix or remove the file (DOCKER_CONFIG names its directory), or pass --registry-username and --registry-password.',
  });
}
