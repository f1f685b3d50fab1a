import { describe, expect, it } from 'vitest';
import { SigilError, describeError, isSigilError } from '../src/index.js';

class DemoError extends SigilError<'DEMO_BROKEN'> {}

describe('SigilError', () => {
  it('carries code, details, hint and cause, and names its subclass', () => {
    const cause = new Error('root');
    const err = new DemoError('DEMO_BROKEN', 'it broke', { cause, details: { expected: 1, actual: 2 }, hint: 'fix it' });
    expect(err.name).toBe('DemoError');
    expect(err.code).toBe('DEMO_BROKEN');
    expect(err.details).toEqual({ expected: 1, actual: 2 });
    expect(err.hint).toBe('fix it');
    expect(err.cause).toBe(cause);
    expect(isSigilError(err)).toBe(true);
    expect(isSigilError(cause)).toBe(false);
  });

  it('describes any thrown value without throwing', () => {
    expect(describeError(new Error('x'))).toBe('x');
    expect(describeError('y')).toBe('y');
    expect(describeError({ toString: () => { throw new Error(); } })).toBe('unknown error');
  });
});
