import { describe, expect, it } from 'vitest';
import { MAX_JSON_CONTAINERS, MAX_JSON_DEPTH, MAX_JSON_VALUES, checkJsonShape, parseJson } from '../src/index.js';
import { encodingFailure as failure } from './encoding-failure.js';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('JSON shape: nesting and size bounded before parsing', () => {
  it('reads 100 levels and refuses 101, naming the limit and where', () => {
    expect(MAX_JSON_DEPTH).toBe(100);
    expect(parseJson(nested(100))).toBeInstanceOf(Array);
    const err = failure(() => parseJson(nested(101), 'bundle'));
    expect(err.code).toBe('ENCODING_JSON_TOO_DEEP');
    expect(err.message).toBe('bundle: expected JSON nested at most 100 levels deep, found deeper nesting at offset 100');
    expect(err.details).toEqual({ limit: 100, offset: 100 });
    expect(failure(() => parseJson(`{"a":${'{"a":'.repeat(100)}1${'}'.repeat(101)}`)).code).toBe('ENCODING_JSON_TOO_DEEP');
  });

  it('counts arrays and objects in the whole text, not only the open ones', () => {
    expect(MAX_JSON_CONTAINERS).toBe(1_000_000);
    const wide = `[${'{},'.repeat(9)}{}]`;
    expect(parseJson(wide, 'x', { maxContainers: 11 })).toHaveLength(10);
    const err = failure(() => parseJson(wide, 'x', { maxContainers: 10 }));
    expect(err.code).toBe('ENCODING_JSON_TOO_LARGE');
    expect(err.message).toBe('x: expected JSON with at most 10 arrays and objects, found 11 (the limit passed at offset 28)');
    expect(err.details).toEqual({ limit: 10, found: 11, offset: 28 });
  });

  it('counts values: array elements and object members by their commas, and containers', () => {
    expect(MAX_JSON_VALUES).toBe(2_000_000);
    // Six values: the outer array, 0, 1, the object, 2 and [].
    expect(parseJson('[0,1,{"a":2,"b":[]}]', 'x', { maxValues: 6 })).toHaveLength(3);
    const err = failure(() => parseJson('[0,1,{"a":2,"b":[]}]', 'x', { maxValues: 5 }));
    expect(err.code).toBe('ENCODING_JSON_TOO_LARGE');
    expect(err.message).toBe('x: expected JSON with at most 5 values, found 6 (the limit passed at offset 16)');
    expect(() => checkJsonShape(JSON.stringify({ a: ',,,,,,' }), 'x', { maxValues: 1 })).not.toThrow();
  });

  it('past 50,000 arrays and objects (200,000 values), one per 32 characters (one per 8) on average: a megabyte of `{},` parsed to 40 MB', () => {
    const objects = (n: number) => `[${'{},'.repeat(n - 1)}{}]`;
    expect(parseJson(objects(49_999))).toHaveLength(49_999); // and the array: 50,000
    const dense = objects(60_000);
    expect(failure(() => checkJsonShape(dense, 'x')).message).toBe(`x: expected JSON with at most 50000 arrays and objects (one per 32 characters of its ${dense.length}, 50000 at least), found 60001 (the limit passed at offset 149998)`);
    const megabytes = objects(700_000);
    expect(failure(() => checkJsonShape(megabytes, 'x')).message).toMatch(new RegExp(`^x: expected JSON with at most ${Math.floor(megabytes.length / 32)} arrays and objects \\(one per 32 characters of its ${megabytes.length}, 50000 at least\\), found 700001 `));
    const zeros = `[${'0,'.repeat(250_000)}0]`;
    expect(failure(() => checkJsonShape(zeros, 'x')).message).toMatch(/^x: expected JSON with at most 200000 values \(one per 8 characters of its 500003, 200000 at least\), found 250001 /);
    // A kind's own lower limit is named as it is.
    expect(failure(() => checkJsonShape(dense, 'x', { maxContainers: 100 })).message).toMatch(/^x: expected JSON with at most 100 arrays and objects, found 60001 /);
    // As long as real documents: passes.
    expect(() => checkJsonShape(`[${Array(100_000).fill(`{"p":"${'x'.repeat(26)}"}`).join(',')}]`, 'x')).not.toThrow();
  });

  it('brackets inside strings, escaped quotes included, are text', () => {
    const text = JSON.stringify({ a: '[[[{{{', b: '\\"[[[', c: '"\\\\"', d: `${'\\'.repeat(7)}"[[[` });
    expect(() => checkJsonShape(text, 'x', { maxDepth: 1, maxContainers: 1 })).not.toThrow();
    expect(parseJson(text)).toEqual(JSON.parse(text));
    // An unterminated string hides the rest from the scan; the parser still refuses the text.
    expect(failure(() => parseJson('["abc')).code).toBe('ENCODING_INVALID_JSON');
    expect(failure(() => parseJson(']]]][')).code).toBe('ENCODING_INVALID_JSON');
  });

  it('64 MB of nested arrays: refused at the 101st bracket, without reading further', () => {
    const text = nested(32 * 1024 * 1024);
    const err = failure(() => checkJsonShape(text));
    expect(err.details).toEqual({ limit: 100, offset: 100 });
  });
});
