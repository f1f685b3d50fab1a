import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tufCacheRoot } from '../src/index.js';

describe('tufCacheRoot', () => {
  it('is $TUF_ROOT when set, as in cosign', () => {
    expect(tufCacheRoot({ TUF_ROOT: '/srv/tuf', HOME: '/home/ci' })).toBe('/srv/tuf');
  });

  it.runIf(process.platform !== 'win32')('is ~/.sigstore/root under $HOME, as os.homedir() reads it', () => {
    expect(tufCacheRoot({ HOME: '/home/ci' })).toBe('/home/ci/.sigstore/root');
    expect(tufCacheRoot({ HOME: process.env.HOME })).toBe(join(homedir(), '.sigstore', 'root'));
  });

  it('falls back to the account\'s home directory without $HOME', () => {
    expect(tufCacheRoot({})).toBe(join(homedir(), '.sigstore', 'root'));
  });
});
