// The cache of one mirror: complete states in state-* directories and a pointer file,
// current.json, naming the committed one. A refresh fills a new state directory and then
// replaces the pointer atomically, so a reader sees the old state or the new one, never a mix,
// and a refresh that fails leaves the committed state untouched.
import { closeSync, constants, copyFileSync, fsyncSync, openSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, utimesSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, join } from 'node:path';
import { describeError } from '@sigil/errors';
import { writeFileAtomic } from './atomic-file.js';
import { readCacheFile, SMALL_FILE_BYTES } from './cache-file.js';
import { TufError } from './errors.js';
import { mirrorDirName, normalizeMirror } from './mirrors.js';

export const METADATA_FILES = ['root.json', 'timestamp.json', 'snapshot.json', 'targets.json', 'registry.npmjs.org.json'] as const;
const POINTER = 'current.json';
const LOCK = 'commit.lock';
const LOCK_STALE_MS = 30_000;
// A superseded state stays this long after it was superseded, for readers that chose it just
// before; a refresh's unfinished state (new-*) is left alone for a day, then taken for a crash.
const KEEP_OLD_STATES_MS = 60_000;
const KEEP_UNFINISHED_MS = 86_400_000;
const UNFINISHED = 'new-';

/** Sigil's cache directory of a mirror under $TUF_ROOT (beside sigstore-go's, which cosign manages). */
export function mirrorCacheDir(cacheRoot: string, mirror: string): string {
  return join(cacheRoot, `${mirrorDirName(mirror)}.sigil`);
}

export interface CommittedState {
  dir: string;
  name: string;
  mirror: string;
  refreshedAt: Date;
}

/** The committed state of a mirror's cache, undefined when none was ever committed. */
export function committedState(mirrorDir: string): CommittedState | undefined {
  const pointerPath = join(mirrorDir, POINTER);
  if (!existsSync(pointerPath)) return undefined;
  let pointer: { state?: unknown; mirror?: unknown; refreshedAt?: unknown };
  try {
    pointer = JSON.parse(readCacheFile(pointerPath, SMALL_FILE_BYTES).toString('utf8'));
  } catch (err) {
    throw new TufError('TUF_CACHE_CORRUPT', `TUF cache ${mirrorDir}: ${POINTER} cannot be read (${describeError(err)})`, { cause: err });
  }
  const { state, mirror, refreshedAt } = pointer ?? {};
  if (typeof state !== 'string' || !/^state-[A-Za-z0-9]+$/.test(state) || typeof mirror !== 'string' || typeof refreshedAt !== 'string' || Number.isNaN(Date.parse(refreshedAt))) {
    throw new TufError('TUF_CACHE_CORRUPT', `TUF cache ${mirrorDir}: ${POINTER}: expected {state, mirror, refreshedAt}, found ${JSON.stringify(pointer).slice(0, 200)}`);
  }
  const dir = join(mirrorDir, state);
  if (!existsSync(dir)) throw new TufError('TUF_CACHE_CORRUPT', `TUF cache ${mirrorDir}: ${POINTER} names ${state}, which does not exist`);
  return { dir, name: state, mirror, refreshedAt: new Date(refreshedAt) };
}

/** A fresh state directory, seeded with the committed state's files when there is one. */
export function newState(mirrorDir: string, from: CommittedState | undefined): string {
  mkdirSync(mirrorDir, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(mirrorDir, UNFINISHED));
  if (from) copyRegularFiles(from.dir, dir);
  mkdirSync(join(dir, 'targets'), { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Makes `stateDir` the committed state unless a concurrent refresh committed one that is at
 * least as new (by `isNewer`); returns whether it did. Old states are removed after a grace
 * period, so a reader that has just read the pointer can still read the state it names.
 */
export function commitState(mirrorDir: string, stateDir: string, mirror: string, refreshedAt: Date, isNewerThanCommitted: (committed: CommittedState) => boolean): boolean {
  const lock = join(mirrorDir, LOCK);
  acquire(lock);
  try {
    let committed: CommittedState | undefined;
    try {
      committed = committedState(mirrorDir);
    } catch {
      committed = undefined; // a corrupt pointer is replaced
    }
    if (committed && !isNewerThanCommitted(committed)) {
      rmSync(stateDir, { recursive: true, force: true });
      return false;
    }
    // On disk before it is named: a crash after the commit must not leave a state of empty files.
    syncTree(stateDir);
    // Named state-* only once complete, so nothing unfinished is ever taken for a state.
    const name = `state-${basename(stateDir).slice(UNFINISHED.length)}`;
    renameSync(stateDir, join(mirrorDir, name));
    const pointer = join(mirrorDir, POINTER);
    writeFileAtomic(pointer, JSON.stringify({ state: name, mirror: normalizeMirror(mirror), refreshedAt: refreshedAt.toISOString() }));
    // Ages are measured by the file system's clock (the pointer's mtime is now), which every
    // process shares. The superseded state's grace period starts now, not when it was committed.
    const now = statSync(pointer).mtime;
    if (committed) utimesSync(committed.dir, now, now);
    removeOldStates(mirrorDir, name, now.getTime());
    return true;
  } finally {
    rmdirSync(lock);
  }
}

// Only regular files and directories are carried over: a link planted in the cache would
// otherwise make tuf-js write a refreshed file through it, to wherever it points.
function copyRegularFiles(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const destination = join(to, entry.name);
    if (entry.isDirectory()) {
      mkdirSync(destination, { mode: 0o700 });
      copyRegularFiles(source, destination);
    } else if (entry.isFile()) {
      copyFileSync(source, destination, constants.COPYFILE_EXCL);
    }
  }
}

function syncTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) syncTree(join(dir, entry.name));
  }
  // A directory's fd is opened read-only: fsync of its entries needs no write access.
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() && !entry.isDirectory()) continue;
    const fd = openSync(join(dir, entry.name), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** Drops a state that was never committed (a failed refresh). */
export function discardState(stateDir: string): void {
  rmSync(stateDir, { recursive: true, force: true });
}

function removeOldStates(mirrorDir: string, keep: string, now: number): void {
  for (const entry of readdirSync(mirrorDir)) {
    const keepFor = entry.startsWith('state-') ? KEEP_OLD_STATES_MS : entry.startsWith(UNFINISHED) ? KEEP_UNFINISHED_MS : undefined;
    if (keepFor === undefined || entry === keep) continue;
    const path = join(mirrorDir, entry);
    try {
      if (now - statSync(path).mtimeMs > keepFor) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another process
    }
  }
}

// mkdir is atomic: the one process that creates the directory holds the lock. The commit it
// guards takes milliseconds; a lock older than LOCK_STALE_MS was left by a process that died.
function acquire(lock: string): void {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new TufError('TUF_CACHE_UNWRITABLE', `TUF cache ${lock}: cannot take the commit lock (${describeError(err)})`, { cause: err });
      }
      if (removedIfStale(lock)) continue;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

// The lock's age is its mtime's (when it was taken), not how long this process has waited.
// It is renamed away before it is removed: of several waiters that find it stale, the one
// rename that succeeds wins, and the others find it gone and try mkdir again.
function removedIfStale(lock: string): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs <= LOCK_STALE_MS) return false;
    const stolen = `${lock}.stale-${randomUUID()}`;
    renameSync(lock, stolen);
    rmSync(stolen, { recursive: true, force: true });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true; // released or stolen meanwhile
    throw err;
  }
}
