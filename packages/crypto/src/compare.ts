import { timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto';

/** Constant-time equality for secrets and MACs; false (not a throw) on a length mismatch. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && nodeTimingSafeEqual(a, b);
}
