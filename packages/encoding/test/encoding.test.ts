import { describe, expect, it } from 'vitest';
import {
  EncodingError,
  canonicalJson,
  decodeBase64,
  decodeHex,
  decodePemBlocks,
  derToPem,
  encodeBase64,
  encodeBase64Url,
  encodeHex,
  parseJson,
  pemToDer,
  utf8Decode,
} from '../src/index.js';

const bytes = (...b: number[]) => new Uint8Array(b);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EncodingError);
    return (err as EncodingError).code;
  }
  return undefined;
}

describe('base64', () => {
  it('round-trips and accepts both alphabets, padded or not', () => {
    const data = bytes(0xfb, 0xff, 0xfe, 0x01);
    expect(encodeBase64(data)).toBe('+//+AQ==');
    expect(encodeBase64Url(data)).toBe('-__-AQ');
    expect(decodeBase64('+//+AQ==')).toEqual(data);
    expect(decodeBase64('+//+AQ')).toEqual(data);
    expect(decodeBase64('-__-AQ')).toEqual(data);
    expect(decodeBase64('')).toEqual(bytes());
  });

  it.each([['a b'], ['ab$d'], ['abcde'], ['ab=c'], ['+_ab'], ['abc==='], ['ab=']])('refuses %j', (text) => {
    expect(codeOf(() => decodeBase64(text))).toBe('ENCODING_INVALID_BASE64');
  });

  it('names the length when the padding is too long', () => {
    expect(() => decodeBase64('AAAA===', 'sig')).toThrow('sig: expected base64, found a length of 7 that no encoding produces');
  });

  it('refuses non-strings', () => {
    expect(codeOf(() => decodeBase64(42 as unknown as string, 'sig'))).toBe('ENCODING_INVALID_BASE64');
  });
});

describe('hex', () => {
  it('round-trips', () => {
    expect(encodeHex(bytes(0, 171, 255))).toBe('00abff');
    expect(decodeHex('00ABff')).toEqual(bytes(0, 171, 255));
  });
  it.each([['abc'], ['zz'], ['0x00']])('refuses %j', (text) => {
    expect(codeOf(() => decodeHex(text))).toBe('ENCODING_INVALID_HEX');
  });
});

describe('PEM', () => {
  const der = new Uint8Array(100).map((_, i) => i);
  it('writes 64-column lines with a final newline and reads them back', () => {
    const pem = derToPem(der, 'CERTIFICATE');
    expect(pem.split('\n')[1]).toHaveLength(64);
    expect(pem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    expect(pemToDer(pem, 'CERTIFICATE')).toEqual(der);
    expect(pemToDer(pem.replace(/\n/g, '\r\n'))).toEqual(der);
  });
  it('reads several blocks in order', () => {
    const text = `junk\n${derToPem(bytes(1), 'CERTIFICATE')}${derToPem(bytes(2), 'PUBLIC KEY')}`;
    expect(decodePemBlocks(text).map((b) => b.label)).toEqual(['CERTIFICATE', 'PUBLIC KEY']);
  });
  it('refuses a wrong label, no block, mismatched ends and bad base64', () => {
    expect(codeOf(() => pemToDer(derToPem(der, 'CERTIFICATE'), 'PUBLIC KEY'))).toBe('ENCODING_INVALID_PEM');
    expect(codeOf(() => pemToDer('hello'))).toBe('ENCODING_INVALID_PEM');
    expect(codeOf(() => pemToDer('-----BEGIN A-----\nAA==\n-----END B-----'))).toBe('ENCODING_INVALID_PEM');
    expect(codeOf(() => pemToDer('-----BEGIN A-----\nA$A=\n-----END A-----'))).toBe('ENCODING_INVALID_BASE64');
  });
});

describe('JSON', () => {
  it('canonicalises as RFC 8785 does', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x\u2028'], c: { z: 1.5, y: -0 } })).toBe(
      '{"a":[true,null,"x\u2028"],"b":1,"c":{"y":0,"z":1.5}}',
    );
    expect(canonicalJson({ '\u20ac': 1, '\r': 2, '1': 3 })).toBe('{"\\r":2,"1":3,"\u20ac":1}');
    expect(canonicalJson(1e21)).toBe('1e+21');
  });
  it('refuses values JSON cannot hold', () => {
    expect(codeOf(() => canonicalJson(Number.NaN))).toBe('ENCODING_UNSUPPORTED_JSON_VALUE');
    expect(codeOf(() => canonicalJson(() => 1))).toBe('ENCODING_UNSUPPORTED_JSON_VALUE');
  });
  it('parses with a typed error', () => {
    expect(parseJson('{"a":1}')).toEqual({ a: 1 });
    expect(codeOf(() => parseJson('{"a":'))).toBe('ENCODING_INVALID_JSON');
  });
});

describe('UTF-8', () => {
  it('refuses invalid sequences', () => {
    expect(utf8Decode(bytes(0x68, 0x69))).toBe('hi');
    expect(codeOf(() => utf8Decode(bytes(0xff)))).toBe('ENCODING_INVALID_UTF8');
  });

  it('is as strict as a fatal TextDecoder: overlong forms, surrogates, code points past U+10FFFF and cut sequences', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const cases = [
      bytes(0xc0, 0xaf), // overlong '/'
      bytes(0xe0, 0x80, 0xaf), // overlong '/'
      bytes(0xed, 0xa0, 0x80), // U+D800, a surrogate
      bytes(0xf4, 0x90, 0x80, 0x80), // U+110000
      bytes(0xe2, 0x82), // cut short
      bytes(0x80), // a continuation byte alone
      bytes(0xf0, 0x9f, 0x94, 0x90), // U+1F510, valid
      bytes(0xef, 0xbb, 0xbf, 0x41), // a BOM, then 'A'
      new Uint8Array(Buffer.from('Grüße, 世界', 'utf8')),
    ];
    for (const input of cases) {
      let expected: string | undefined;
      try {
        expected = fatal.decode(input);
      } catch {
        expected = undefined;
      }
      if (expected === undefined) expect(codeOf(() => utf8Decode(input)), String(input)).toBe('ENCODING_INVALID_UTF8');
      else expect(utf8Decode(input)).toBe(expected);
    }
  });

  it('keeps a byte-order mark as text, as Go does (a certificate name is compared as written)', () => {
    expect(utf8Decode(bytes(0xef, 0xbb, 0xbf, 0x41))).toBe('\ufeffA');
  });

  it('reads a view into a larger buffer without the bytes around it', () => {
    const whole = bytes(0x78, 0x68, 0x69, 0x78);
    expect(utf8Decode(whole.subarray(1, 3))).toBe('hi');
  });
});
