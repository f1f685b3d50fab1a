import { expect } from 'vitest';
import { EncodingError } from '../src/index.js';

/** The EncodingError `fn` throws; anything else, or nothing, fails the test. */
export function encodingFailure(fn: () => unknown): EncodingError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EncodingError);
    return err as EncodingError;
  }
  throw new Error('expected an EncodingError, found none');
}
