import { checkDigest } from './digest.js';
import { OciError } from './errors.js';
import { shown } from './shown.js';

/** A parsed image reference, with docker's defaults applied. */
export interface ImageReference {
  /** `host[:port]` as typed (`[::1]:5000` for IPv6); `docker.io` for Docker Hub, whatever alias was typed. */
  readonly registry: string;
  /** The repository path: `library/alpine`, `group/project/image`. */
  readonly repository: string;
  /** `latest` when neither a tag nor a digest was given. */
  readonly tag?: string;
  /** When given, it wins over the tag: the image is the one with this digest. */
  readonly digest?: string;
  /** `registry/repository`. */
  readonly name: string;
  /** `registry/repository[:tag][@digest]`. */
  toString(): string;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io']);
const MAX_NAME_LENGTH = 255;
const MAX_INPUT_LENGTH = 1024;

// distribution/reference's grammar (reference/regexp.go).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const IMAGE_ID = /^[a-f0-9]{64}$/;

/**
 * Parses `[registry/]repository[:tag][@digest]` the way docker does: a first component
 * without '.' or ':' that is not `localhost` (and is all lowercase) is part of the
 * repository on Docker Hub, and a one-component Hub name gets `library/`.
 */
export function parseImageReference(text: string): ImageReference {
  if (typeof text !== 'string') throw invalid(`expected a string, found ${shown(text)}`);
  if (text === '' || text.length > MAX_INPUT_LENGTH) throw invalid(`expected 1 to ${MAX_INPUT_LENGTH} characters, found ${text.length}`, text);
  if (IMAGE_ID.test(text)) throw invalid('expected a repository name, found 64 hex digits (an image ID)', text);

  const { registry, rest } = splitRegistry(text);
  const at = rest.indexOf('@');
  const named = at === -1 ? rest : rest.slice(0, at);
  const digest = at === -1 ? undefined : checkDigest(rest.slice(at + 1), `image reference ${shown(text)}: digest`);
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  let repository = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? named.slice(colon + 1) : undefined;

  if (tag !== undefined) checkTag(tag, `image reference ${shown(text)}: tag`);
  checkRepository(repository, text);
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (registry.length + 1 + repository.length > MAX_NAME_LENGTH) {
    throw invalid(`expected a name of at most ${MAX_NAME_LENGTH} characters, found ${registry.length + 1 + repository.length}`, text);
  }
  return makeReference(registry, repository, tag ?? (digest === undefined ? 'latest' : undefined), digest);
}

/** The same repository with another tag or digest (a digest drops the tag). */
export function referenceTo(ref: ImageReference, tagOrDigest: { tag: string } | { digest: string }): ImageReference {
  if ('digest' in tagOrDigest) return makeReference(ref.registry, ref.repository, undefined, checkDigest(tagOrDigest.digest, 'digest'));
  checkTag(tagOrDigest.tag, 'tag');
  return makeReference(ref.registry, ref.repository, tagOrDigest.tag, undefined);
}

export function checkTag(tag: unknown, what: string): string {
  if (typeof tag !== 'string' || !TAG.test(tag)) {
    throw new OciError('OCI_REFERENCE_INVALID', `${what}: expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, found ${shown(tag)}`);
  }
  return tag;
}

function makeReference(registry: string, repository: string, tag: string | undefined, digest: string | undefined): ImageReference {
  const name = `${registry}/${repository}`;
  const text = `${name}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
  return Object.freeze({
    registry,
    repository,
    name,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
    toString: () => text,
  });
}

function splitRegistry(text: string): { registry: string; rest: string } {
  const slash = text.indexOf('/');
  const first = slash === -1 ? '' : text.slice(0, slash);
  const isRegistry = slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  if (!isRegistry) return { registry: DOCKER_HUB, rest: text };
  checkRegistry(first, text);
  return { registry: DOCKER_HUB_ALIASES.has(first.toLowerCase()) || first.toLowerCase() === DOCKER_HUB ? DOCKER_HUB : first, rest: text.slice(slash + 1) };
}

function checkRegistry(registry: string, text: string): void {
  const portAt = registry.startsWith('[') ? registry.indexOf(']') + 1 : registry.indexOf(':');
  const host = portAt <= 0 || portAt >= registry.length ? registry : registry.slice(0, portAt);
  const port = host.length === registry.length ? undefined : registry.slice(host.length);
  const hostOk = IPV6_HOST.test(host) || host.split('.').every((part) => DOMAIN_COMPONENT.test(part));
  const portOk = port === undefined || (/^:[0-9]{1,5}$/.test(port) && Number(port.slice(1)) >= 1 && Number(port.slice(1)) <= 65535);
  if (!hostOk || !portOk) throw invalid(`expected a registry host[:port], found ${shown(registry)}`, text);
}

function checkRepository(repository: string, text: string): void {
  if (repository === '') throw invalid('expected a repository name, found none', text);
  if (repository.toLowerCase() !== repository) throw invalid(`expected a lowercase repository name, found ${shown(repository)}`, text);
  for (const component of repository.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(`expected repository components of [a-z0-9] joined by '.', '_', '__' or '-', found ${shown(component)}`, text);
    }
  }
}

function invalid(reason: string, text?: string): OciError {
  return new OciError('OCI_REFERENCE_INVALID', `image reference${text === undefined ? '' : ` ${shown(text)}`}: ${reason}`, {
    hint: 'Write it as [registry[:port]/]repository[:tag][@sha256:<hex>], e.g. registry.gitlab.com/group/project:v1.',
  });
}
