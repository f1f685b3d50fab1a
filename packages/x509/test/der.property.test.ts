// The strict DER reader against asn1js as an independent encoder: trees of TLVs and object
// identifiers that asn1js writes read back to the same structure and values, and a length
// written in a non-minimal form is refused.
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { der } from '../src/index.js';

const RUNS = { numRuns: 200, seed: 690 };

type Node = { tag: number; bytes: Uint8Array } | { tag: number; items: Node[] };

// Universal primitive tags the reader supports, and the constructed ones (SEQUENCE, SET, [0]-[3]).
const primitiveTag = fc.constantFrom(0x02, 0x04, 0x0c, 0x13, 0x16, 0x80, 0x81);
const constructedTag = fc.constantFrom(0x30, 0x31, 0xa0, 0xa1, 0xa3);
const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ tag: primitiveTag, bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }) }),
    fc.record({ tag: constructedTag, items: fc.array(tie('node'), { maxLength: 4 }) }),
  ),
}));

function toAsn1js(n: Node): asn1js.BaseBlock {
  const tagClass = n.tag & 0x80 ? 3 : 1;
  const idBlock = { tagClass, tagNumber: n.tag & 0x1f };
  if ('bytes' in n) return new asn1js.Primitive({ idBlock, valueHex: n.bytes });
  return new asn1js.Constructed({ idBlock, value: n.items.map(toAsn1js) });
}

function read(bytes: Uint8Array, tlv: der.Tlv): Node {
  return tlv.tag & 0x20 ? { tag: tlv.tag, items: der.children(bytes, tlv, 'node').map((child) => read(bytes, child)) } : { tag: tlv.tag, bytes: der.value(bytes, tlv).slice() };
}

const encode = (n: Node) => new Uint8Array(toAsn1js(n).toBER(false));

describe('DER reader', () => {
  it('reads back the tree asn1js wrote', () => {
    fc.assert(
      fc.property(node, (tree) => {
        const bytes = encode(tree);
        expect(read(bytes, der.readWhole(bytes, tree.tag, 'tree'))).toEqual(tree);
      }),
      RUNS,
    );
  });

  it('refuses a length in long form where the short form fits, or with a leading zero', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (content) => {
        const length = content.length;
        const minimal = length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff];
        const padded = [0x80 | minimal.length, 0, ...(length < 0x80 ? [length] : minimal.slice(1))];
        for (const header of [padded, ...(length < 0x80 ? [[0x81, length]] : [])]) {
          const bytes = new Uint8Array([0x04, ...header, ...content]);
          expect(() => der.readWhole(bytes, 0x04, 'octets')).toThrow(der.DerError);
        }
        expect(der.value(new Uint8Array([0x04, ...minimal, ...content]), der.readWhole(new Uint8Array([0x04, ...minimal, ...content]), 0x04, 'octets'))).toEqual(content);
      }),
      RUNS,
    );
  });

  it('reads object identifiers as asn1js writes them', () => {
    const arcs = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.integer({ min: 0, max: 2 ** 31 }), { maxLength: 8 }));
    fc.assert(
      fc.property(arcs, ([first, second, rest]) => {
        const dotted = [first, second, ...rest].join('.');
        const bytes = new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER(false));
        expect(der.readOid(bytes, der.readWhole(bytes, 0x06, 'oid'), 'oid')).toBe(dotted);
      }),
      RUNS,
    );
  });
});
