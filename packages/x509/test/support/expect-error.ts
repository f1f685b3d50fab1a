import { expect } from 'vitest';
import { X509Error, type X509ErrorCode } from '../../src/index.js';

/** Runs `fn`, requiring an X509Error with `code`; returns it for further checks. */
export function expectX509Error(fn: () => unknown, code: X509ErrorCode): X509Error {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(X509Error);
    expect((err as X509Error).code).toBe(code);
    return err as X509Error;
  }
  return expect.fail(`expected X509Error ${code}`);
}
