import { encodeHex } from '@sigil/encoding';
import { children, DerError, expectTag, raw, readOid, readString, TAG, type Tlv } from './der.js';
import { NAME_ATTRIBUTES } from './oids.js';

/**
 * A distinguished name as readable text ("O=sigstore.dev, CN=sigstore"), in encoded order.
 * For messages only: chaining compares the raw DER.
 */
export function formatName(bytes: Uint8Array, name: Tlv): string {
  expectTag(name, TAG.SEQUENCE, 'name');
  const parts: string[] = [];
  for (const rdn of children(bytes, name, 'name')) {
    expectTag(rdn, TAG.SET, 'relative distinguished name');
    for (const atv of children(bytes, rdn, 'name attribute')) {
      expectTag(atv, TAG.SEQUENCE, 'name attribute');
      const [type, val, extra] = children(bytes, atv, 'name attribute');
      if (!type || !val || extra) throw new DerError('name attribute: expected a type and a value');
      const oid = readOid(bytes, type, 'name attribute type');
      parts.push(`${NAME_ATTRIBUTES[oid] ?? oid}=${attributeText(bytes, val)}`);
    }
  }
  return parts.join(', ');
}

function attributeText(bytes: Uint8Array, val: Tlv): string {
  try {
    return readString(bytes, val, 'name attribute value');
  } catch {
    // Not a string type (or not valid as one): show the DER in hex, as RFC 4514 does.
    return `#${encodeHex(raw(bytes, val))}`;
  }
}
