import { homedir } from 'node:os';
import { OciError } from '../errors.js';
import { makeCredentials, type CredentialResolver, type ResolvedCredentials } from './credentials.js';
import { dockerConfigCredentials, dockerConfigDir } from './docker-config.js';
import { registryKey } from './registry-key.js';

export interface CredentialOptions {
  /** `--registry-username`; needs `password` too. Used for every registry. */
  username?: string;
  /** `--registry-password`. */
  password?: string;
  /** Where CI_REGISTRY* and DOCKER_CONFIG are read; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** For `~/.docker`; default the user's home directory. */
  homeDir?: string;
}

/**
 * Credentials for a registry, from the first source that has them: the flags, then
 * GitLab CI's job variables when CI_REGISTRY is this registry, then the docker config's
 * `auths`; undefined (anonymous) when none does.
 */
export function resolveCredentials(registry: string, options: CredentialOptions = {}): ResolvedCredentials | undefined {
  const env = options.env ?? process.env;
  const flags = flagCredentials(options);
  if (flags !== undefined) return flags;
  const gitlab = gitlabCredentials(registry, env);
  if (gitlab !== undefined) return gitlab;
  return dockerConfigCredentials(dockerConfigDir(env, options.homeDir ?? homedir()), registry);
}

/** A resolver over resolveCredentials, checking the flags at once. */
export function createCredentialResolver(options: CredentialOptions = {}): CredentialResolver {
  flagCredentials(options ?? {});
  return (registry) => resolveCredentials(registry, options ?? {});
}

function flagCredentials({ username, password }: CredentialOptions): ResolvedCredentials | undefined {
  if (username === undefined && password === undefined) return undefined;
  if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
    // Which one is missing is said; neither value is.
    const missing = typeof username !== 'string' || username === '' ? 'a user name' : 'a password';
    throw new OciError('OCI_CREDENTIALS_INVALID', `registry credentials: expected a user name and a password, found no ${missing.slice(2)}`, {
      hint: 'Pass both --registry-username and --registry-password, or neither.',
    });
  }
  return makeCredentials(username, password, 'flags');
}

/** GitLab CI's job credentials (CI_REGISTRY_USER, CI_REGISTRY_PASSWORD), only for the job's own registry. */
function gitlabCredentials(registry: string, env: Readonly<Record<string, string | undefined>>): ResolvedCredentials | undefined {
  const { CI_REGISTRY: host, CI_REGISTRY_USER: username, CI_REGISTRY_PASSWORD: password } = env;
  if (!host || !username || !password) return undefined;
  return registryKey(host) === registryKey(registry) ? makeCredentials(username, password, 'gitlab-ci') : undefined;
}
