import { expect } from 'vitest';
import { OciError, type OciErrorCode } from '../src/index.js';

/** Awaits a promise (or runs a function) that must fail with this OciError code. */
export async function expectOciError(action: Promise<unknown> | (() => unknown), code: OciErrorCode): Promise<OciError> {
  let thrown: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(OciError);
  expect((thrown as OciError).code).toBe(code);
  return thrown as OciError;
}
