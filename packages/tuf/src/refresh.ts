import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metadata, Root } from '@tufjs/models';
import type { Updater } from 'tuf-js';
import { describeError } from '@sigil/errors';
import { serviceBaseUrl, type HttpClientError } from '@sigil/http-client';
import { committedState, commitState, discardState, mirrorCacheDir, newState, type CommittedState } from './cache-store.js';
import { classifyTufError } from './classify-error.js';
import { TufError } from './errors.js';
import { MirrorFetcher } from './mirror-fetcher.js';
import { embeddedAnchor, normalizeMirror, TARGETS } from './mirrors.js';
import { parseRoot, ROOT_HISTORY, rootFileName } from './root-chain.js';
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
  checkMirrorUrl(mirror);
  const mirrorDir = mirrorCacheDir(options.cacheRoot, mirror);
  let previous: CommittedState | undefined;
  let before: VerifiedState | undefined;
  let beforeTrustedRoot: string | undefined;
  let discardedCache: string | undefined;
  const embedded = embeddedAnchor(mirror);
  try {
    previous = committedState(mirrorDir);
    // The previous state is read without an expiry check: expired metadata still pins versions.
    before = previous && readVerifiedState(previous.dir, { anchor: embedded });
    beforeTrustedRoot = decodeOptional(before?.target(TARGETS.trustedRoot));
  } catch (err) {
    previous = undefined;
    before = undefined;
    discardedCache = describeError(err);
  }
  const given = options.root && checkRoot(options.root);
  // A public-good mirror's chain must pass through its embedded root: a --root newer than that is
  // reached from it (and must be the mirror's root of its version); an older one walks past it.
  const fromEmbedded = embedded !== undefined && given !== undefined && given.signed.version > parseRoot(embedded).signed.version;
  const start = fromEmbedded ? embedded : (options.root ?? (before ? undefined : embedded));
  if (!before && !start) {
    throw new TufError('TUF_NO_ANCHOR', `TUF mirror ${mirror}: no cached metadata and no root to start from`, {
      hint: 'pass the mirror\'s initial root.json with --root (only the public-good mirrors have one embedded)',
    });
  }
  let stateDir: string;
  try {
    stateDir = newState(mirrorDir, previous);
    startRootChain(stateDir, start);
  } catch (err) {
    throw new TufError('TUF_CACHE_UNWRITABLE', `TUF cache ${mirrorDir}: cannot be written (${describeError(err)})`, { cause: err });
  }
  try {
    const { updater, fetcher } = await newUpdater(mirror, stateDir, options);
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
      throw classifyTufError(err, mirror, step, fetcher.failure);
    }
    for (const [version, bytes] of fetcher.roots) writeFileSync(join(stateDir, ROOT_HISTORY, rootFileName(version)), bytes);
    if (given) checkGivenRootInChain(stateDir, given, mirror);
    let after: VerifiedState;
    try {
      after = readVerifiedState(stateDir, { anchor: embedded });
    } catch (err) {
      throw new TufError('TUF_UPDATE_FAILED', `TUF mirror ${mirror}: the refreshed metadata does not verify: ${describeError(err)}`, { cause: err });
    }
    const trustedRoot = after.target(TARGETS.trustedRoot)!;
    const refreshedAt = new Date();
    let committed: boolean;
    try {
      committed = commitState(mirrorDir, stateDir, mirror, refreshedAt, (current) => isNewer(after.versions, current));
    } catch (err) {
      if (err instanceof TufError) throw err;
      throw new TufError('TUF_CACHE_UNWRITABLE', `TUF cache ${mirrorDir}: the refreshed state cannot be committed (${describeError(err)})`, { cause: err });
    }
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

// http(s) only (file: or ftp: would fail later, less clearly), and plain http to loopback only.
function checkMirrorUrl(mirror: string): void {
  try {
    serviceBaseUrl(mirror, 'TUF mirror');
  } catch (err) {
    throw classifyTufError(err, mirror, 'checking the mirror URL', err as HttpClientError);
  }
}

function checkRoot(root: Uint8Array): Metadata<Root> {
  try {
    return parseRoot(root);
  } catch (err) {
    throw new TufError('TUF_ROOT_INVALID', `the initial root is not a TUF root.json: ${describeError(err)}`, { cause: err });
  }
}

// The chain a state walks starts at the root it starts from (the history of a continued state
// stays; a state from before the history starts from its root.json).
function startRootChain(stateDir: string, start: string | Uint8Array | undefined): void {
  const history = join(stateDir, ROOT_HISTORY);
  if (start !== undefined) {
    rmSync(history, { recursive: true, force: true });
    writeFileSync(join(stateDir, 'root.json'), start);
  }
  mkdirSync(history, { recursive: true, mode: 0o700 });
  const bytes = readFileSync(join(stateDir, 'root.json'));
  const path = join(history, rootFileName(parseRoot(bytes).signed.version));
  if (!existsSync(path)) writeFileSync(path, bytes);
}

function checkGivenRootInChain(stateDir: string, given: Metadata<Root>, mirror: string): void {
  const path = join(stateDir, ROOT_HISTORY, rootFileName(given.signed.version));
  const reached = existsSync(path) ? parseRoot(readFileSync(path)) : undefined;
  if (!reached?.signed.equals(given.signed)) {
    throw new TufError('TUF_ROOT_INVALID', `TUF mirror ${mirror}: the root given (v${given.signed.version}) is not the root v${given.signed.version} the mirror's chain reaches from the embedded root`, {
      hint: 'pass a root.json of this mirror, or none (the embedded root is the anchor of a public-good mirror)',
    });
  }
}

// tuf-js (and its HTTP stack) loads only when a refresh runs: offline verification never needs it.
async function newUpdater(mirror: string, stateDir: string, options: RefreshOptions): Promise<{ updater: Updater; fetcher: MirrorFetcher }> {
  const [{ Updater }, { DownloadHTTPError }] = await Promise.all([import('tuf-js'), import('tuf-js/dist/error.js')]);
  const fetcher = new MirrorFetcher({ timeoutMs: options.timeoutMs ?? 10_000, retries: options.retries ?? 2, httpError: DownloadHTTPError });
  const updater = new Updater({
    metadataBaseUrl: mirror,
    metadataDir: stateDir,
    targetBaseUrl: `${mirror}/targets`,
    targetDir: join(stateDir, 'targets'),
    fetcher,
  });
  return { updater, fetcher };
}

// A concurrent refresh may have committed first; keep whichever state is newer.
function isNewer(ours: RoleVersions, current: CommittedState): boolean {
  try {
    const theirs = readVerifiedState(current.dir, { anchor: embeddedAnchor(current.mirror) }).versions;
    return ours.root > theirs.root || (ours.root === theirs.root && ours.timestamp >= theirs.timestamp);
  } catch {
    return true;
  }
}

function decodeOptional(bytes: Uint8Array | undefined): string | undefined {
  return bytes && decoder.decode(bytes);
}
