import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Io } from '../src/command.js';
import { withGlobalFlags } from '../src/global-flags.js';

const io: Io = { stdout: () => {}, stderr: () => {} };

describe('--timeout', () => {
  afterEach(() => vi.restoreAllMocks());

  it('ends a command that waits on the event loop past the deadline (CLI_TIMEOUT)', async () => {
    const never = () => new Promise<number>((resolve) => setTimeout(() => resolve(0), 5_000).unref());
    const started = Date.now();
    await expect(withGlobalFlags({ timeout: 50 }, io, never)).rejects.toMatchObject({ code: 'CLI_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sets no timer for a command that finishes within its first turn (an offline verification)', async () => {
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    expect(await withGlobalFlags({}, io, async () => 0)).toBe(0);
    // The deadline is armed from a setImmediate, which the finished command cleared: nothing
    // left to fire, and no timer (the first setTimeout of a process costs its cold start).
    await new Promise((resolve) => setImmediate(resolve));
    expect(setTimer).not.toHaveBeenCalled();
  });

  it('a deadline past what a timer holds (2^31-1 ms, about 24.8 days) is no deadline, not an immediate CLI_TIMEOUT', async () => {
    // Node fires a longer setTimeout after 1 ms: --timeout 1000h ended every command that waited.
    const waits = () => new Promise<number>((resolve) => setTimeout(() => resolve(4), 30));
    expect(await withGlobalFlags({ timeout: 1000 * 3_600_000 }, io, waits)).toBe(4);
  });

  it('takes --timeout 0 as no deadline', async () => {
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    expect(await withGlobalFlags({ timeout: 0 }, io, async () => 3)).toBe(3);
    expect(setTimer).not.toHaveBeenCalled();
  });
});
