import { inspect } from 'node:util';

/** A user name and password (or a registry access token as the password). */
export interface RegistryCredentials {
  username: string;
  password: string;
}

export type CredentialSource = 'flags' | 'gitlab-ci' | 'docker-config' | 'caller';

/** Credentials with where they came from; the password stays out of JSON, inspection and toString(). */
export interface ResolvedCredentials extends RegistryCredentials {
  readonly source: CredentialSource;
}

/** Finds the credentials for a registry (`host[:port]`, `docker.io` for Docker Hub); undefined means anonymous. */
export type CredentialResolver = (registry: string) => ResolvedCredentials | RegistryCredentials | undefined | Promise<ResolvedCredentials | RegistryCredentials | undefined>;

/** Credentials whose password is not enumerable, so that logging or serialising them shows no secret. */
export function makeCredentials(username: string, password: string, source: CredentialSource): ResolvedCredentials {
  const shown = `${source} credentials for ${JSON.stringify(username)}`;
  const credentials = { username, source } as ResolvedCredentials;
  Object.defineProperty(credentials, 'password', { value: password, enumerable: false });
  Object.defineProperty(credentials, 'toString', { value: () => shown, enumerable: false });
  Object.defineProperty(credentials, 'toJSON', { value: () => ({ username, source }), enumerable: false });
  Object.defineProperty(credentials, inspect.custom, { value: () => `[${shown}]`, enumerable: false });
  return Object.freeze(credentials);
}
