import { displayUrl, isLoopbackHost } from '@sigil/http-client';
import { OciError } from '../errors.js';
import { DOCKER_HUB } from '../reference.js';

// Docker Hub's API lives on another host than its name (ggcr, docker).
const DOCKER_HUB_API = 'registry-1.docker.io';

/**
 * The registry's API origin: https, except plain http for a loopback host when the caller
 * allows insecure registries (cosign's --allow-insecure-registry, for local test registries).
 * A host that is not loopback never gets plain http.
 */
export function registryOrigin(registry: string, allowInsecure: boolean): URL {
  const host = registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
  const https = new URL(`https://${host}/`);
  return allowInsecure && isLoopback(https.hostname) ? new URL(`http://${host}/`) : https;
}

/** 127.0.0.0/8, ::1 and localhost: the one rule of @sigil/http-client. */
export const isLoopback = isLoopbackHost;

/**
 * A URL the registry sent (upload Location, redirect, token realm) must keep the same
 * security: https, or http to a loopback host when insecure registries are allowed.
 */
export function checkServerUrl(url: URL, allowInsecure: boolean, what: string): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && allowInsecure && isLoopback(url.hostname)) return;
  const reason = url.protocol === 'http:' ? (isLoopback(url.hostname) ? 'plain http without allowInsecure' : 'plain http to a host that is not loopback') : `the scheme ${url.protocol}`;
  throw new OciError('OCI_INSECURE_REFUSED', `${what}: expected an https URL, found ${reason} (${displayUrl(url)})`, {
    details: { url: displayUrl(url) },
    hint: 'Plain http is allowed only to 127.0.0.1, ::1 or localhost, with --allow-insecure-registry.',
  });
}

/** A URL from a header, resolved against the request's; OCI_RESPONSE_INVALID when unreadable. */
export function resolveServerUrl(location: string, base: URL, what: string): URL {
  try {
    return new URL(location, base);
  } catch {
    throw new OciError('OCI_RESPONSE_INVALID', `${what}: expected a URL, found ${JSON.stringify(location.slice(0, 100))}`);
  }
}
