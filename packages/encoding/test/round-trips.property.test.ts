// Round trips and invariants of the encodings, over generated input: base64 (both
// alphabets, padded or not), PEM, and RFC 8785 canonical JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, decodeBase64, decodePemBlocks, derToPem, encodeBase64, encodeBase64Url, EncodingError, parseJson, pemToDer } from '../src/index.js';

const RUNS = { numRuns: 300, seed: 8785 };

describe('base64', () => {
  it('decodes what it encodes, in either alphabet, with or without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const standard = encodeBase64(bytes);
        for (const text of [standard, standard.replace(/=+$/, ''), encodeBase64Url(bytes), `${encodeBase64Url(bytes)}${'='.repeat((4 - (encodeBase64Url(bytes).length % 4)) % 4)}`]) {
          expect(decodeBase64(text)).toEqual(bytes);
        }
      }),
      RUNS,
    );
  });

  it('refuses a character outside the alphabet anywhere, typed', () => {
    const junk = fc.constantFrom(' ', '\n', '.', '*', '\u00e9', '\0', '=');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), junk, fc.nat(), (bytes, char, at) => {
        const text = encodeBase64(bytes).replace(/=+$/, '');
        const position = at % text.length; // '=' at the very end is padding, not junk
        expect(() => decodeBase64(`${text.slice(0, position)}${char}${text.slice(position)}`)).toThrow(EncodingError);
      }),
      RUNS,
    );
  });
});

describe('PEM', () => {
  const label = fc.constantFrom('CERTIFICATE', 'PUBLIC KEY', 'EC PRIVATE KEY', 'ENCRYPTED SIGSTORE PRIVATE KEY', 'X509 CRL');
  const block = fc.record({ label, der: fc.uint8Array({ minLength: 1, maxLength: 600 }) });

  it('reads back the DER it wrote, under the same label', () => {
    fc.assert(
      fc.property(block, ({ label, der }) => {
        expect(pemToDer(derToPem(der, label), label)).toEqual(der);
      }),
      RUNS,
    );
  });

  it('reads a chain of blocks in order, whatever lines of text sit between them', () => {
    // A BEGIN line starts a line, as for Go's pem.Decode and OpenSSL: the text ends its own line.
    const between = fc.string({ maxLength: 40 }).filter((text) => !text.includes('-----')).map((text) => (text === '' ? '' : `${text}\n`));
    fc.assert(
      fc.property(fc.array(fc.tuple(block, between), { minLength: 1, maxLength: 5 }), (chain) => {
        const text = chain.map(([b, gap]) => `${gap}${derToPem(b.der, b.label)}`).join('');
        expect(decodePemBlocks(text)).toEqual(chain.map(([b]) => b));
      }),
      RUNS,
    );
  });
});

// JSON values as JSON.parse returns them (-0 has no JSON form of its own).
const json = fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown);

/** UTF-16 code unit order, written out: RFC 8785 section 3.2.3. */
function byCodeUnits(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

describe('canonical JSON (RFC 8785)', () => {
  it('parses back to the same value, and is a fixed point', () => {
    fc.assert(
      fc.property(json, (value) => {
        const canonical = canonicalJson(value);
        expect(parseJson(canonical)).toEqual(value);
        expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
        expect(canonical).not.toMatch(/^\s|\s$|[\n\r\t]/);
      }),
      RUNS,
    );
  });

  it('does not depend on the order keys were inserted', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json, { maxKeys: 12 }), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
      }),
      RUNS,
    );
  });

  it('writes keys in UTF-16 code unit order (surrogate pairs included)', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'b', '\u00e9', '\u20ac', '\ud83d\ude00', '\uffff', '1', '10', '2'), maxLength: 4 });
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 10 }), fc.boolean(), (keys, flag) => {
        const object = Object.fromEntries(keys.map((k) => [k, flag]));
        const sorted = [...keys].sort(byCodeUnits);
        expect(canonicalJson(object)).toBe(`{${sorted.map((k) => `${JSON.stringify(k)}:${flag}`).join(',')}}`);
      }),
      RUNS,
    );
  });
});
