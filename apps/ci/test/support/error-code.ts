import { expect } from 'vitest';
import { CiError } from '../../src/index.js';

/** The code of the CiError `fn` throws; fails the test if it throws anything else or nothing. */
export function ciErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CiError);
    return (err as CiError).code;
  }
  throw new Error('expected a CiError, nothing was thrown');
}
