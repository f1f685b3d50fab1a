import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mirrorCacheDir, readCachedTrust, refreshTuf, TARGETS } from '@sigil/tuf';
import { buildRefreshWorker, startRefresh } from './child-refresh.js';
import { FIXTURES, NEW, NEW_TIME, tufTestEnv } from './static-mirror.js';

// Refreshes in separate processes (CI jobs sharing $TUF_ROOT): a reader never loses the state
// it is reading, a killed refresh leaves nothing that can be selected, and any number of
// refreshes at once leave one valid cache.
const ROOT_V5_FILE = join(FIXTURES, NEW, '5.root.json');
const env = tufTestEnv({ mirror: true, time: NEW_TIME });
let worker: string;

beforeAll(() => {
  worker = buildRefreshWorker();
});

const refresh = (root?: string) => startRefresh(worker, { cacheRoot: env.cacheRoot, mirror: env.mirror.url, now: NEW_TIME, ...(root ? { root } : {}) });
const states = () => readdirSync(mirrorCacheDir(env.cacheRoot, env.mirror.url)).filter((f) => f.startsWith('state-'));
const pointer = () => JSON.parse(readFileSync(join(mirrorCacheDir(env.cacheRoot, env.mirror.url), 'current.json'), 'utf8')).state as string;

describe('refreshes in separate processes', () => {
  it('a state committed long ago is kept for its readers when another process commits', async () => {
    env.mirror.serve(NEW);
    await refreshTuf({ cacheRoot: env.cacheRoot, mirror: env.mirror.url, root: readFileSync(ROOT_V5_FILE), retries: 0 });
    const old = join(mirrorCacheDir(env.cacheRoot, env.mirror.url), pointer());
    const yesterday = new Date(Date.now() - 86_400_000);
    utimesSync(old, yesterday, yesterday); // committed yesterday
    const reader = readCachedTrust(env.cacheRoot, env.mirror.url)!; // a verification under way
    const other = await refresh().done;
    expect(other.code, JSON.stringify(other.result)).toBe(0);
    expect(pointer()).not.toBe(old.split('/').pop());
    expect(reader.target(TARGETS.trustedRoot)).toContain('"tlogs"');
  });

  it('four processes at once leave one valid cache', async () => {
    env.mirror.serve(NEW);
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => refresh(ROOT_V5_FILE).done));
    for (const outcome of outcomes) expect(outcome.code, JSON.stringify(outcome.result)).toBe(0);
    expect(outcomes.some((o) => o.result.committed)).toBe(true);
    expect(readCachedTrust(env.cacheRoot, env.mirror.url)!.versions).toMatchObject({ root: 15, timestamp: 762 });
    expect(states()).toContain(pointer());
  });

  it('a commit lock left by a process that died a minute ago is taken over at once, not after 30 s of waiting', async () => {
    env.mirror.serve(NEW);
    const lock = join(mirrorCacheDir(env.cacheRoot, env.mirror.url), 'commit.lock');
    mkdirSync(lock, { recursive: true });
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);
    const result = await refreshTuf({ cacheRoot: env.cacheRoot, mirror: env.mirror.url, root: readFileSync(ROOT_V5_FILE), retries: 0 });
    expect(result.committed).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(mirrorCacheDir(env.cacheRoot, env.mirror.url)).filter((f) => f.startsWith('commit.lock'))).toEqual([]);
  }, 10_000);

  it('a refresh killed mid-way leaves the committed state selected and the next refresh works', async () => {
    env.mirror.serve(NEW);
    await refreshTuf({ cacheRoot: env.cacheRoot, mirror: env.mirror.url, root: readFileSync(ROOT_V5_FILE), retries: 0 });
    const committed = pointer();
    env.mirror.stalled.add('14.targets.json');
    const snapshotVersion = readdirSync(join(FIXTURES, NEW)).find((f) => f.endsWith('.snapshot.json'))!;
    const { child, done } = refresh(ROOT_V5_FILE); // from v5 again: every metadata file is fetched
    const started = Date.now();
    while (!env.mirror.requests.includes('14.targets.json') && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    expect(env.mirror.requests).toContain(snapshotVersion);
    child.kill('SIGKILL');
    expect((await done).code).toBeNull();
    expect(pointer()).toBe(committed);
    expect(states()).toEqual([committed]); // the half-written one is not even named as a state
    expect(readCachedTrust(env.cacheRoot, env.mirror.url)!.target(TARGETS.trustedRoot)).toContain('"tlogs"');
    env.mirror.stalled.clear();
    const next = await refresh().done;
    expect(next.code, JSON.stringify(next.result)).toBe(0);
    expect(readCachedTrust(env.cacheRoot, env.mirror.url)!.versions.timestamp).toBe(762);
  });
});
