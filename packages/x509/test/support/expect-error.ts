import { expect } from 'vitest';
import type { SigilError } from '@sigil/errors';
import { X509Error, type X509ErrorCode } from '../../src/index.js';

/** Runs `fn`, requiring an error of `ErrorClass` with `code`; returns it for further checks. */
export function expectSigilError<E extends SigilError>(fn: () => unknown, ErrorClass: new (...args: never[]) => E, code: E['code']): E {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ErrorClass);
    expect((err as E).code).toBe(code);
    return err as E;
  }
  return expect.fail(`expected ${ErrorClass.name} ${code}`);
}

export const expectX509Error = (fn: () => unknown, code: X509ErrorCode): X509Error => expectSigilError(fn, X509Error, code);
