import { describe, expect, it } from 'vitest';
import { jsonShapeRefusal, parseJson } from '../src/index.js';
import { encodingFailure as thrown } from './encoding-failure.js';

describe('jsonShapeRefusal: tells a refusal over the limits from text that is not JSON', () => {
  it('is the error for too deep and too large, whose message quotes nothing of the text', () => {
    const deep = thrown(() => parseJson(`${'['.repeat(101)}"secret"${']'.repeat(101)}`, 'OCI manifest'));
    expect(jsonShapeRefusal(deep)).toBe(deep);
    const wide = thrown(() => parseJson('[{"secret":1},{}]', 'OCI manifest', { maxContainers: 2 }));
    expect(jsonShapeRefusal(wide)).toBe(wide);
    for (const err of [deep, wide]) expect(err.message).not.toContain('secret');
  });

  it('is undefined for invalid JSON and for anything not an encoding error', () => {
    expect(jsonShapeRefusal(thrown(() => parseJson('{secret', 'OCI manifest')))).toBeUndefined();
    expect(jsonShapeRefusal(new Error('x'))).toBeUndefined();
    expect(jsonShapeRefusal(undefined)).toBeUndefined();
  });
});
