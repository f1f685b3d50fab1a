import { expect } from 'vitest';
import { MerkleError, type MerkleErrorCode } from '../src/index.js';

/** Runs fn and asserts it throws a MerkleError with this code. */
export function expectMerkleError(fn: () => unknown, code: MerkleErrorCode): MerkleError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(MerkleError);
  expect((thrown as MerkleError).code).toBe(code);
  return thrown as MerkleError;
}
