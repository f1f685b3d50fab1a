import { DOCKER_HUB } from '../reference.js';

const DOCKER_HUB_KEYS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * The form in which registries are compared for credentials: a docker config key
 * (`https://host/v1/`, `host`), CI_REGISTRY or a reference's registry, reduced as docker's
 * ConvertToHostname does (no scheme, nothing after the first '/'), in lower case, with
 * Docker Hub's names made one.
 */
export function registryKey(text: string): string {
  const host = text.replace(/^https?:\/\//i, '').split('/')[0]!.toLowerCase();
  return DOCKER_HUB_KEYS.has(host) ? DOCKER_HUB : host;
}
