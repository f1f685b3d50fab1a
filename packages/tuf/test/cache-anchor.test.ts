import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { embeddedAnchor, mirrorCacheDir, PRODUCTION_MIRROR, readCachedTrust, refreshTuf, TARGETS } from '@sigil/tuf';
import { forgeState } from './forge-cache.js';
import { FIXTURES, NEW, NEW_TIME, OLD, OLD_TIME, ROOT_V5, tufTestEnv } from './static-mirror.js';

// The cache is local state, but what it says must still chain to the anchor Sigil embeds:
// someone who can write $TUF_ROOT but holds none of Sigstore's keys must not be able to make
// verification trust a trusted root of their own.
const FORGED = JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] });
const env = tufTestEnv({ mirror: true, time: NEW_TIME });

/** A production cache made by a real refresh (the loopback mirror serves production's layout). */
async function productionCache(root: Uint8Array = Buffer.from(embeddedAnchor(PRODUCTION_MIRROR)!)): Promise<string> {
  env.mirror.serve(NEW);
  await refreshTuf({ cacheRoot: env.cacheRoot, mirror: env.mirror.url, root, retries: 0 });
  const dir = mirrorCacheDir(env.cacheRoot, PRODUCTION_MIRROR);
  cpSync(mirrorCacheDir(env.cacheRoot, env.mirror.url), dir, { recursive: true });
  return join(dir, JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8')).state);
}

const corrupt = expect.objectContaining({ code: 'TUF_CACHE_CORRUPT' });

const trustedRootFixture = () => {
  const name = readdirSync(join(FIXTURES, NEW, 'targets')).find((f) => f.endsWith('.trusted_root.json'))!;
  return env.mirror.fixture(`targets/${name}`, NEW).toString('utf8');
};

describe('the cache of a public-good mirror is anchored in the embedded root', () => {
  it('reads a cache that chains to the embedded root', async () => {
    await productionCache();
    expect(readCachedTrust(env.cacheRoot, PRODUCTION_MIRROR)!.target(TARGETS.trustedRoot)).toBe(trustedRootFixture());
  });

  it('refuses a root made up by whoever wrote the cache, at any version', async () => {
    const state = await productionCache();
    const pristine = `${state}.pristine`;
    cpSync(state, pristine, { recursive: true });
    for (const version of [15, 16, 1000]) {
      rmSync(state, { recursive: true });
      cpSync(pristine, state, { recursive: true });
      forgeState(state, FORGED, version);
      expect(() => readCachedTrust(env.cacheRoot, PRODUCTION_MIRROR)?.target(TARGETS.trustedRoot), `root v${version}`).toThrow(corrupt);
    }
  });

  it('refuses a cache older than the embedded root (its trusted root is older than the embedded snapshot)', async () => {
    env.mirror.serve(OLD);
    vi.setSystemTime(OLD_TIME);
    await refreshTuf({ cacheRoot: env.cacheRoot, mirror: env.mirror.url, root: ROOT_V5, retries: 0 });
    cpSync(mirrorCacheDir(env.cacheRoot, env.mirror.url), mirrorCacheDir(env.cacheRoot, PRODUCTION_MIRROR), { recursive: true });
    expect(() => readCachedTrust(env.cacheRoot, PRODUCTION_MIRROR)).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT', message: expect.stringMatching(/root v13 is older than the embedded root v15/) }));
  });
});

describe('the cache of any mirror holds the root chain it walked', () => {
  it('checks every rotation from the root it started from; a root that is not the end of that chain is refused', async () => {
    env.mirror.serve(NEW);
    await refreshTuf({ cacheRoot: env.cacheRoot, mirror: env.mirror.url, root: ROOT_V5, retries: 0 });
    expect(readCachedTrust(env.cacheRoot, env.mirror.url)!.versions.root).toBe(15);
    const dir = mirrorCacheDir(env.cacheRoot, env.mirror.url);
    const state = join(dir, JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8')).state);
    expect(readdirSync(join(state, 'roots')).length).toBe(11); // v5 to v15
    const v10 = readFileSync(join(state, 'roots', '10.root.json'));
    writeFileSync(join(state, 'roots', '10.root.json'), readFileSync(join(state, 'roots', '9.root.json')));
    expect(() => readCachedTrust(env.cacheRoot, env.mirror.url)).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT', message: expect.stringContaining('10.root.json holds version 9') }));
    const unsigned = JSON.parse(v10.toString('utf8'));
    writeFileSync(join(state, 'roots', '10.root.json'), JSON.stringify({ ...unsigned, signatures: [] }));
    expect(() => readCachedTrust(env.cacheRoot, env.mirror.url)).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT', message: expect.stringMatching(/root v10 is not signed by the threshold of the keys of v9 \(/) }));
    writeFileSync(join(state, 'roots', '10.root.json'), v10);
    forgeState(state, FORGED, 16);
    expect(() => readCachedTrust(env.cacheRoot, env.mirror.url)).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT', message: expect.stringContaining('the root chain lacks version 16') }));
  });
});
