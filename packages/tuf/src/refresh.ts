import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, MetadataKind } from '@tufjs/models';
import type { Updater } from 'tuf-js';
import { describeError } from '@sigil/errors';
import { committedState, commitState, discardState, mirrorCacheDir, newState, type CommittedState } from './cache-store.js';
import { classifyTufError } from './classify-error.js';
import { TufError } from './errors.js';
import { embeddedAnchor, normalizeMirror, TARGETS } from './mirrors.js';
import { readVerifiedState, type RoleVersions, type VerifiedState } from './verified-state.js';

export interface RefreshOptions {
  /** $TUF_ROOT: the directory that holds one cache per mirror. */
  cacheRoot: string;
  mirror: string;
  /** The root.json to start from (cosign's --root); else the cache's, else the embedded one. */
  root?: Uint8Array | undefined;
  timeoutMs?: number | undefined;
  retries?: number | undefined;
}

export interface RefreshResult {
  mirror: string;
  /** The state before the refresh, when the cache held a valid one. */
  before: { versions: RoleVersions; trustedRoot: string | undefined } | undefined;
  after: { versions: RoleVersions; trustedRoot: string };
  /** false when a concurrent refresh had already committed a state at least as new. */
  committed: boolean;
  /** Set when the cache was unreadable and the refresh started again from the anchor. */
  discardedCache: string | undefined;
}

const decoder = new TextDecoder();

/**
 * Walks the root chain and updates timestamp, snapshot and targets from the mirror (TUF's client
 * workflow, by tuf-js), fetches the targets Sigil uses, and commits the result as the mirror's
 * cache in one step. A later refresh continues from the committed metadata, so rollbacks and
 * freezes are refused; any refusal leaves the committed cache as it was.
 */
export async function refreshTuf(options: RefreshOptions): Promise<RefreshResult> {
  const mirror = normalizeMirror(options.mirror);
  const mirrorDir = mirrorCacheDir(options.cacheRoot, mirror);
  let previous: CommittedState | undefined;
  let before: VerifiedState | undefined;
  let beforeTrustedRoot: string | undefined;
  let discardedCache: string | undefined;
  try {
    previous = committedState(mirrorDir);
    // The previous state is read without an expiry check: expired metadata still pins versions.
    before = previous && readVerifiedState(previous.dir);
    beforeTrustedRoot = decodeOptional(before?.target(TARGETS.trustedRoot));
  } catch (err) {
    previous = undefined;
    before = undefined;
    discardedCache = describeError(err);
  }
  if (options.root) checkRoot(options.root);
  const anchor = options.root ?? (before ? undefined : embeddedAnchor(mirror));
  if (!before && !anchor) {
    throw new TufError('TUF_NO_ANCHOR', `TUF mirror ${mirror}: no cached metadata and no root to start from`, {
      hint: 'pass the mirror\'s initial root.json with --root (only the public-good mirrors have one embedded)',
    });
  }
  let stateDir: string;
  try {
    stateDir = newState(mirrorDir, previous);
    if (anchor) writeFileSync(join(stateDir, 'root.json'), anchor);
  } catch (err) {
    throw new TufError('TUF_CACHE_UNWRITABLE', `TUF cache ${mirrorDir}: cannot be written (${describeError(err)})`, { cause: err });
  }
  try {
    const updater = await newUpdater(mirror, stateDir, options);
    let step = 'updating root, timestamp, snapshot and targets';
    try {
      await updater.refresh();
      for (const name of Object.values(TARGETS)) {
        step = `fetching target ${name}`;
        const info = await updater.getTargetInfo(name);
        if (!info) {
          // The trusted root is what Sigil is for; the others are optional on private mirrors.
          if (name === TARGETS.trustedRoot) throw new TufError('TUF_TARGET_MISSING', `TUF mirror ${mirror}: the targets metadata lists no ${name}`);
          continue;
        }
        if (!(await updater.findCachedTarget(info))) await updater.downloadTarget(info);
      }
    } catch (err) {
      throw classifyTufError(err, mirror, step);
    }
    const after = readVerifiedState(stateDir);
    const trustedRoot = after.target(TARGETS.trustedRoot)!;
    const refreshedAt = new Date();
    const committed = commitState(mirrorDir, stateDir, mirror, refreshedAt, (current) => isNewer(after.versions, current));
    return {
      mirror,
      before: before && { versions: before.versions, trustedRoot: beforeTrustedRoot },
      after: { versions: after.versions, trustedRoot: decoder.decode(trustedRoot) },
      committed,
      discardedCache,
    };
  } catch (err) {
    discardState(stateDir);
    throw err;
  }
}

function checkRoot(root: Uint8Array): void {
  try {
    Metadata.fromJSON(MetadataKind.Root, JSON.parse(decoder.decode(root)));
  } catch (err) {
    throw new TufError('TUF_ROOT_INVALID', `the initial root is not a TUF root.json: ${describeError(err)}`, { cause: err });
  }
}

// tuf-js (and its HTTP stack) loads only when a refresh runs: offline verification never needs it.
async function newUpdater(mirror: string, stateDir: string, options: RefreshOptions): Promise<Updater> {
  const { Updater } = await import('tuf-js');
  return new Updater({
    metadataBaseUrl: mirror,
    metadataDir: stateDir,
    targetBaseUrl: `${mirror}/targets`,
    targetDir: join(stateDir, 'targets'),
    config: {
      fetchTimeout: options.timeoutMs ?? 10_000,
      fetchRetry: options.retries ?? 2,
      userAgent: 'sigil',
    },
  });
}

// A concurrent refresh may have committed first; keep whichever state is newer.
function isNewer(ours: RoleVersions, current: CommittedState): boolean {
  try {
    const theirs = readVerifiedState(current.dir).versions;
    return ours.root > theirs.root || (ours.root === theirs.root && ours.timestamp >= theirs.timestamp);
  } catch {
    return true;
  }
}

function decodeOptional(bytes: Uint8Array | undefined): string | undefined {
  return bytes && decoder.decode(bytes);
}
