import { describe, expect, it } from 'vitest';
import { isPrintable, printable } from '../src/index.js';

describe('printable', () => {
  it('escapes C0, DEL and C1 controls, bidi and other format characters, and line separators', () => {
    const hostile = 'kind\x1b[2K\rVerified OK\x07\x7f\x85\x9b\u202eevil\u2066\u200e\u200b\ufeff\u2028\u{e0041}';
    expect(printable(hostile)).toBe(
      'kind\\u001b[2K\\u000dVerified OK\\u0007\\u007f\\u0085\\u009b\\u202eevil\\u2066\\u200e\\u200b\\ufeff\\u2028\\udb40\\udc41',
    );
    expect(printable('line\nnext\ttab')).toBe('line\\u000anext\\u0009tab');
  });

  it('keeps newlines when asked, for whole outputs', () => {
    expect(printable('a\nb\x1b\n', { keepNewlines: true })).toBe('a\nb\\u001b\n');
  });

  it('leaves printable text alone, including non-ASCII letters and emoji', () => {
    const text = 'https://gitlab.com/grüppe/projekt//.gitlab-ci.yml@refs/heads/main 日本 🙂 \\x1b';
    expect(printable(text)).toBe(text);
    expect(isPrintable(text)).toBe(true);
  });

  it('keeps JSON valid: escapes inside a JSON string decode back to the original', () => {
    const value = { kind: 'a\u202eb\x85c', n: 1 };
    const json = printable(JSON.stringify(value, null, 2), { keepNewlines: true });
    expect(json).not.toMatch(/[\u202e\x85]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('isPrintable finds any control or format character', () => {
    for (const bad of ['\n', '\r', '\x1b', '\x85', '\u202e', '\u2069', '\u200f', '\u2029']) expect(isPrintable(`a${bad}b`)).toBe(false);
  });
});
