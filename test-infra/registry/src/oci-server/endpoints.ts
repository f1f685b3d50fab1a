import { DistributionError } from './distribution-error.js';
import { isRepositoryName } from '../grammar.js';

/** The endpoints of distribution-spec v1.1 this registry serves, as read from a request path. */
export type Endpoint =
  | { kind: 'base' }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'referrers'; name: string; digest: string }
  | { kind: 'tags'; name: string };

export type RepositoryEndpoint = Exclude<Endpoint, { kind: 'base' }>;

// Names hold slashes, so each pattern anchors on the endpoint's tail; uploads come before blobs.
const PATTERNS: ReadonlyArray<[RegExp, (name: string, last: string) => Endpoint]> = [
  [/^\/v2\/(.+)\/blobs\/uploads\/?()$/, (name) => ({ kind: 'uploads', name })],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, (name, id) => ({ kind: 'upload', name, id })],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, (name, digest) => ({ kind: 'blob', name, digest })],
  [/^\/v2\/(.+)\/manifests\/([^/]+)$/, (name, reference) => ({ kind: 'manifest', name, reference })],
  [/^\/v2\/(.+)\/referrers\/([^/]+)$/, (name, digest) => ({ kind: 'referrers', name, digest })],
  [/^\/v2\/(.+)\/tags\/list()$/, (name) => ({ kind: 'tags', name })],
];

/**
 * The endpoint a path names, or undefined when no route matches (registry 2.8's plain 404).
 * A matching path with a name outside the grammar is refused with 400 NAME_INVALID.
 */
export function parseEndpoint(pathname: string): Endpoint | undefined {
  if (pathname === '/v2/' || pathname === '/v2') return { kind: 'base' };
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    const name = match[1]!;
    if (!isRepositoryName(name)) {
      throw new DistributionError(400, 'NAME_INVALID', `repository name: expected lowercase components separated by '/', found ${quote(name)}`, {}, { name: name.slice(0, 80) });
    }
    return build(name, decodeSegment(match[2]!));
  }
  return undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new DistributionError(400, 'UNSUPPORTED', `path segment: not valid percent-encoding: ${quote(segment)}`);
  }
}

/** Echoes client input in messages, bounded. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
