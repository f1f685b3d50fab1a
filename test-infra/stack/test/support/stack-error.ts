import { expect } from 'vitest';
import { StackError } from '../../src/index.js';

/** Runs `fn`, expects a StackError and returns its code. */
export function stackErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StackError);
    return (err as StackError).code;
  }
  throw new Error('expected a StackError');
}
