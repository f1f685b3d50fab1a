import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirrorCacheDir, readCachedTrust, refreshTuf, selectedMirror, TARGETS } from '@sigil/tuf';
import { NEW, NEW_TIME, ROOT_V5, tufTestEnv } from './static-mirror.js';

// Whoever can write the cache must not be able to make a reader hang, exhaust memory, or make a
// refresh write through a link to a file elsewhere.
const env = tufTestEnv({ mirror: true, time: NEW_TIME });

async function committedStateDir(): Promise<string> {
  env.mirror.serve(NEW);
  await refreshTuf({ cacheRoot: env.cacheRoot, mirror: env.mirror.url, root: ROOT_V5, retries: 0 });
  const dir = mirrorCacheDir(env.cacheRoot, env.mirror.url);
  return join(dir, JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8')).state);
}

describe('files of the cache', () => {
  it('a FIFO or an oversized file is refused, not read', async () => {
    const state = await committedStateDir();
    rmSync(join(state, 'timestamp.json'));
    execFileSync('mkfifo', [join(state, 'timestamp.json')]);
    expect(() => readCachedTrust(env.cacheRoot, env.mirror.url)).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT', message: expect.stringMatching(/timestamp\.json.*not a regular file/) }));
    rmSync(join(state, 'timestamp.json'));
    writeFileSync(join(state, 'timestamp.json'), '');
    truncateSync(join(state, 'timestamp.json'), 64 * 1024 * 1024);
    expect(() => readCachedTrust(env.cacheRoot, env.mirror.url)).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT', message: expect.stringMatching(/timestamp\.json.*67108864 bytes, more than the 16384/) }));
  });

  it('a remote.json naming a mirror that is not http(s) is refused', () => {
    mkdirSync(env.cacheRoot, { recursive: true });
    writeFileSync(join(env.cacheRoot, 'remote.json'), JSON.stringify({ mirror: 'file:///tmp/tuf-mirror' }));
    expect(() => selectedMirror(env.cacheRoot, {})).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT', message: expect.stringContaining('file:///tmp/tuf-mirror') }));
    rmSync(join(env.cacheRoot, 'remote.json'));
  });

  it('a target that links elsewhere is refused', async () => {
    const state = await committedStateDir();
    const target = join(state, 'targets', TARGETS.trustedRoot);
    const copy = join(env.cacheRoot, 'elsewhere.json');
    writeFileSync(copy, readFileSync(target));
    rmSync(target);
    symlinkSync(copy, target);
    expect(() => readCachedTrust(env.cacheRoot, env.mirror.url)!.target(TARGETS.trustedRoot)).toThrow(expect.objectContaining({ code: 'TUF_CACHE_CORRUPT', message: expect.stringMatching(/trusted_root\.json.*symbolic link|ELOOP/) }));
  });

  it('a refresh never writes through a link planted in the cache', async () => {
    const state = await committedStateDir();
    const victim = join(env.cacheRoot, 'victim.txt');
    writeFileSync(victim, 'precious');
    const planted = join(state, 'targets', encodeURIComponent(TARGETS.signingConfig));
    rmSync(planted);
    symlinkSync(victim, planted);
    await refreshTuf({ cacheRoot: env.cacheRoot, mirror: env.mirror.url, retries: 0 });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readCachedTrust(env.cacheRoot, env.mirror.url)!.target(TARGETS.signingConfig)).toContain('"mediaType"');
  });
});
