import { committedState, mirrorCacheDir } from './cache-store.js';
import { embeddedAnchor, normalizeMirror } from './mirrors.js';
import { readVerifiedState, type ExpiredRole, type RoleVersions } from './verified-state.js';

export interface CachedTrust {
  mirror: string;
  cacheDir: string;
  refreshedAt: Date;
  versions: RoleVersions;
  expired: ExpiredRole[];
  /** Targets as text, checked against the cached metadata's hashes on every call. */
  target(name: string): string | undefined;
}

/**
 * The committed cache of a mirror, read offline and checked against itself; undefined when
 * the mirror was never refreshed. Throws TUF_CACHE_CORRUPT when it does not verify.
 */
export function readCachedTrust(cacheRoot: string, mirror: string, now: Date = new Date()): CachedTrust | undefined {
  const cacheDir = mirrorCacheDir(cacheRoot, mirror);
  const state = committedState(cacheDir);
  if (!state) return undefined;
  const verified = readVerifiedState(state.dir, { now, anchor: embeddedAnchor(mirror) });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return {
    mirror: normalizeMirror(mirror),
    cacheDir,
    refreshedAt: state.refreshedAt,
    versions: verified.versions,
    expired: verified.expired,
    target(name) {
      const bytes = verified.target(name);
      return bytes && decoder.decode(bytes);
    },
  };
}

/** "3 days" / "5 hours" / "12 minutes": how long ago something expired, for warnings. */
export function describeAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}
