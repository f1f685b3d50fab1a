import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { mirrorCacheDir, readCachedTrust, refreshTuf, trustedRootChanges, TARGETS, type RefreshOptions } from '@sigil/tuf';
import { FIXTURES, NEW, NEW_TIME, OLD, OLD_TIME, ROOT_V5, StaticMirror, tufTestEnv } from './static-mirror.js';

const AFTER_NEW_EXPIRY = new Date('2026-09-05T00:00:00Z');
const env = tufTestEnv({ mirror: true });

const at = (time: Date) => vi.setSystemTime(time);
const options = (extra: Partial<RefreshOptions> = {}): RefreshOptions => ({ cacheRoot: env.cacheRoot, mirror: env.mirror.url, retries: 0, timeoutMs: 2000, ...extra });
const fromV5 = () => options({ root: ROOT_V5 });
const cached = () => readCachedTrust(env.cacheRoot, env.mirror.url);
const fixtureTarget = (layout: string, name: string) => {
  const dir = join(FIXTURES, layout, 'targets');
  return readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith(`.${name}`))!), 'utf8');
};

async function refusal(promise: Promise<unknown>) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeDefined();
  return err as { code: string; message: string };
}

describe('refreshTuf against layouts of sigstore/root-signing', () => {
  it('walks the root chain from v5 to v15 through the real rotations and caches the targets', async () => {
    env.mirror.serve(NEW);
    at(NEW_TIME);
    const result = await refreshTuf(fromV5());
    expect(result.after.versions).toEqual({ root: 15, timestamp: 762, snapshot: 165, targets: 14, npm: 8 });
    expect(result.before).toBeUndefined();
    expect(result.committed).toBe(true);
    for (let v = 6; v <= 16; v++) expect(env.mirror.requests).toContain(`${v}.root.json`);
    const trust = cached()!;
    expect(trust.versions.root).toBe(15);
    expect(trust.expired).toEqual([]);
    expect(trust.target(TARGETS.trustedRoot)).toBe(fixtureTarget(NEW, 'trusted_root.json'));
    expect(trust.target(TARGETS.signingConfig)).toBe(fixtureTarget(NEW, 'signing_config.v0.2.json'));
    expect(JSON.parse(trust.target(TARGETS.npmKeys)!).keys.length).toBeGreaterThan(0);
  });

  it('continues from the cache: the next refresh reports what changed in the trusted root', async () => {
    env.mirror.serve(OLD);
    at(OLD_TIME);
    expect((await refreshTuf(fromV5())).after.versions.root).toBe(13);
    env.mirror.serve(NEW);
    at(NEW_TIME);
    env.mirror.requests = [];
    const result = await refreshTuf(options());
    expect(env.mirror.requests).not.toContain('5.root.json'); // started from the cached v13
    expect(result.before?.versions.timestamp).toBe(467);
    expect(result.after.versions.timestamp).toBe(762);
    const changes = trustedRootChanges(result.before!.trustedRoot!, result.after.trustedRoot);
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'transparency log', change: 'added', name: expect.stringContaining('https://log2025-1.rekor.sigstore.dev') }));
  });

  it('refuses a rolled-back timestamp and keeps the cache', async () => {
    env.mirror.serve(NEW);
    at(NEW_TIME);
    await refreshTuf(fromV5());
    env.mirror.serve(OLD);
    const err = await refusal(refreshTuf(options()));
    expect(err.code).toBe('TUF_ROLLBACK');
    expect(err.message).toMatch(/467 is less than current version 762/);
    expect(cached()!.versions.timestamp).toBe(762);
    expect(cached()!.target(TARGETS.trustedRoot)).toBe(fixtureTarget(NEW, 'trusted_root.json'));
  });

  it('refuses a tampered target and caches nothing', async () => {
    env.mirror.serve(NEW);
    at(NEW_TIME);
    const name = readdirSync(join(FIXTURES, NEW, 'targets')).find((f) => f.endsWith('.trusted_root.json'))!;
    const tampered = Buffer.from(env.mirror.fixture(`targets/${name}`).toString('utf8').replace('rekor.sigstore.dev', 'rekor.evil.example'));
    env.mirror.overrides.set(`targets/${name}`, tampered);
    const err = await refusal(refreshTuf(fromV5()));
    expect(err.code).toBe('TUF_TARGET_MISMATCH');
    expect(cached()).toBeUndefined();
    expect(readdirSync(mirrorCacheDir(env.cacheRoot, env.mirror.url)).filter((f) => f.startsWith('state-'))).toEqual([]);
  });

  it('refuses expired metadata with a message that says so', async () => {
    env.mirror.serve(OLD);
    at(new Date('2025-10-15T00:00:00Z'));
    const err = await refusal(refreshTuf(fromV5()));
    expect(err.code).toBe('TUF_METADATA_EXPIRED');
    expect(err.message).toMatch(/timestamp\.json is expired/);
    expect(cached()).toBeUndefined();
  });

  it('refuses a freeze (the mirror keeps serving metadata that expired) and keeps the cache, which reports its age', async () => {
    env.mirror.serve(NEW);
    at(NEW_TIME);
    await refreshTuf(fromV5());
    at(AFTER_NEW_EXPIRY);
    const err = await refusal(refreshTuf(options()));
    expect(err.code).toBe('TUF_METADATA_EXPIRED');
    const trust = cached()!;
    expect(trust.versions.timestamp).toBe(762);
    expect(trust.expired).toEqual([{ role: 'timestamp', expires: new Date('2026-08-28T19:25:56Z') }]);
  });

  it('keeps verifying offline from the cache when the mirror is down', async () => {
    const own = await StaticMirror.start();
    at(NEW_TIME);
    await refreshTuf({ ...options({ root: ROOT_V5 }), mirror: own.url });
    await own.stop();
    const err = await refusal(refreshTuf({ ...options(), mirror: own.url }));
    expect(err.code).toBe('TUF_MIRROR_UNREACHABLE');
    expect(readCachedTrust(env.cacheRoot, own.url)!.target(TARGETS.trustedRoot)).toBe(fixtureTarget(NEW, 'trusted_root.json'));
  });

  it('notices a corrupted cache: a changed target, a changed metadata file, a broken pointer', async () => {
    env.mirror.serve(NEW);
    at(NEW_TIME);
    await refreshTuf(fromV5());
    const dir = mirrorCacheDir(env.cacheRoot, env.mirror.url);
    const state = join(dir, JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8')).state);
    const target = join(state, 'targets', TARGETS.trustedRoot);
    const original = readFileSync(target, 'utf8');
    writeFileSync(target, original.replace('"tlogs"', '"tlogs" '));
    expect(() => cached()!.target(TARGETS.trustedRoot)).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT', message: expect.stringMatching(/trusted_root\.json: expected length/) }));
    writeFileSync(target, original);

    const timestamp = join(state, 'timestamp.json');
    writeFileSync(timestamp, readFileSync(timestamp, 'utf8').replace('"version": 762', '"version": 763'));
    expect(() => cached()).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT', message: expect.stringMatching(/timestamp\.json is not signed/) }));

    // A refresh does not trust a corrupt cache: it starts again from the root it is given.
    const result = await refreshTuf(fromV5());
    expect(result.discardedCache).toMatch(/timestamp\.json/);
    expect(cached()!.versions.timestamp).toBe(762);

    writeFileSync(join(dir, 'current.json'), '{"state":');
    expect(() => cached()).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT' }));
  });

  it('needs a root to start from for a mirror without an embedded one', async () => {
    env.mirror.serve(NEW);
    at(NEW_TIME);
    const err = await refusal(refreshTuf(options()));
    expect(err.code).toBe('TUF_NO_ANCHOR');
  });

  it('concurrent refreshes leave one valid cache', async () => {
    env.mirror.serve(NEW);
    at(NEW_TIME);
    const results = await Promise.all(Array.from({ length: 4 }, () => refreshTuf(fromV5())));
    expect(results.some((r) => r.committed)).toBe(true);
    const trust = cached()!;
    expect(trust.versions).toEqual(results[0]!.after.versions);
    expect(trust.target(TARGETS.trustedRoot)).toBe(fixtureTarget(NEW, 'trusted_root.json'));
  });
});
