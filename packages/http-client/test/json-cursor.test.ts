import { describe, expect, it } from 'vitest';
import { HttpClientError, JsonCursor, serviceBaseUrl } from '../src/index.js';

class ShapeError extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
    override readonly cause?: unknown,
  ) {
    super(`${path}: ${reason}`);
  }
}

const root = (value: unknown) => JsonCursor.root(value, (reason, path, cause) => new ShapeError(reason, path, cause));

function failure(read: () => unknown): ShapeError {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(ShapeError);
    return err as ShapeError;
  }
  throw new Error('expected a failure');
}

describe('JsonCursor', () => {
  const doc = { chain: { certificates: ['a', 'b'] }, size: 12, big: '9223372036854775807', empty: '', none: null };

  it('reads fields, strings, integers and arrays, naming nothing on success', () => {
    const cursor = root(doc);
    expect(cursor.field('chain').field('certificates').items(1, 10).map((item) => item.string())).toEqual(['a', 'b']);
    expect(cursor.field('size').integer()).toBe(12n);
    expect(cursor.field('big').integer()).toBe((1n << 63n) - 1n);
    expect(cursor.optionalField('none')).toBeUndefined();
    expect(cursor.optionalField('absent')).toBeUndefined();
    expect(cursor.optionalField('size')?.integer()).toBe(12n);
    expect(cursor.field('chain').field('certificates').items(0, 2)[1]!.path).toBe('$.chain.certificates[1]');
    expect(cursor.field('big').decode((text) => text.length, 20)).toBe(19);
  });

  it.each([
    ['an absent field', (c: JsonCursor) => c.field('missing').string(), '$.missing'],
    ['a number for a string', (c: JsonCursor) => c.field('size').string(), '$.size'],
    ['a string over its length', (c: JsonCursor) => c.field('big').string(5), '$.big'],
    ['an empty string', (c: JsonCursor) => c.field('empty').nonEmptyString(), '$.empty'],
    ['an object for an array', (c: JsonCursor) => c.field('chain').items(0, 1), '$.chain'],
    ['too many items', (c: JsonCursor) => c.field('chain').field('certificates').items(0, 1), '$.chain.certificates'],
    ['too few items', (c: JsonCursor) => c.field('chain').field('certificates').items(3, 4), '$.chain.certificates'],
    ['an array for an object', (c: JsonCursor) => c.field('chain').field('certificates').field('x'), '$.chain.certificates'],
    ['null for an object', (c: JsonCursor) => c.field('none').object(), '$.none'],
    ['a string for an integer', (c: JsonCursor) => c.field('empty').integer(), '$.empty'],
    ['a decoder that throws', (c: JsonCursor) => c.field('empty').decode(() => { throw new Error('bad base64'); }), '$.empty'],
  ])('%s fails at its path', (_name, read, path) => {
    expect(failure(() => read(root(doc))).path).toBe(path);
  });

  it.each([[-1], [1.5], [2 ** 53], [Number.NaN], ['-1'], ['01'], ['9223372036854775808'], ['1e3'], [true]])('refuses %s as an integer', (value) => {
    failure(() => root({ n: value }).field('n').integer());
  });

  it('keeps the decoder error as the cause', () => {
    const cause = new Error('bad hex');
    expect(failure(() => root('zz').decode(() => { throw cause; })).cause).toBe(cause);
  });

  it('does not read inherited properties', () => {
    expect(failure(() => root({}).field('constructor').object()).path).toBe('$.constructor');
  });
});

describe('serviceBaseUrl', () => {
  it.each([
    ['https://rekor.sigstore.dev', 'https://rekor.sigstore.dev/api/v1/log'],
    ['https://rekor.sigstore.dev/', 'https://rekor.sigstore.dev/api/v1/log'],
    ['http://127.0.0.1:3000/rekor', 'http://127.0.0.1:3000/rekor/api/v1/log'],
    ['https://example.com/prefix/?x=1#y', 'https://example.com/prefix/api/v1/log'],
  ])('%s', (base, expected) => {
    expect(new URL('api/v1/log', serviceBaseUrl(base, 'Rekor')).href).toBe(expected);
  });

  it.each([[undefined], [''], ['rekor.sigstore.dev'], ['ftp://example.com'], [42]])('refuses %s with HTTP_REQUEST_INVALID', (url) => {
    let err: unknown;
    try {
      serviceBaseUrl(url, 'Rekor');
    } catch (thrown) {
      err = thrown;
    }
    expect(err).toBeInstanceOf(HttpClientError);
    expect((err as HttpClientError).code).toBe('HTTP_REQUEST_INVALID');
  });
});
