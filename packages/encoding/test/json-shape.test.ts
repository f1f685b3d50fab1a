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

  it('past 64 KiB, at most one array or object per 32 characters and one value per 8 (a megabyte of `{},` parsed to 40 MB)', () => {
    const objects = (n: number) => `[${'{},'.repeat(n - 1)}{}]`;
    expect(objects(21_000).length).toBeLessThanOrEqual(64 * 1024);
    expect(parseJson(objects(21_000))).toHaveLength(21_000);
    const dense = objects(30_000);
    const err = failure(() => checkJsonShape(dense, 'x'));
    expect(err.message).toMatch(new RegExp(`^x: expected JSON with at most ${Math.floor(dense.length / 32)} arrays and objects \\(one per 32 characters of its ${dense.length}\\), found 30001 `));
    const zeros = `[${'0,'.repeat(40_000)}0]`;
    expect(failure(() => checkJsonShape(zeros, 'x')).message).toMatch(new RegExp(`^x: expected JSON with at most ${Math.floor(zeros.length / 8)} values \\(one per 8 characters`));
    // A document's own lower limit is named as it is.
    expect(failure(() => checkJsonShape(dense, 'x', { maxContainers: 100 })).message).toMatch(/^x: expected JSON with at most 100 arrays and objects, found 30001 /);
    // As long as real documents: passes.
    expect(() => checkJsonShape(`[${Array(30_000).fill(`{"p":"${'x'.repeat(26)}"}`).join(',')}]`, 'x')).not.toThrow();
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
