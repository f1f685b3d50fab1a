/** Exponential backoff with jitter: half the step fixed, half random, so clients spread out. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** attempt);
  return step / 2 + random() * (step / 2);
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), capped; undefined when absent or unreadable. */
export function retryAfterDelay(header: string | null, maxMs: number, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  let ms: number;
  if (/^\d{1,10}$/.test(text)) ms = Number(text) * 1000;
  else {
    const date = Date.parse(text);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(maxMs, Math.max(0, ms));
}

/** Waits `ms`, or less when `signal` fires first (the caller then sees it aborted). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
