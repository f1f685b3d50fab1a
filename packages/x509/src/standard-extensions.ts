import { encodeHex } from '@sigil/encoding';
import {
  children,
  contextTag,
  DerError,
  expectTag,
  readBitString,
  readBoolean,
  readOid,
  readSmallInteger,
  readString,
  readWhole,
  TAG,
  value,
  type Tlv,
} from './der.js';
import { OID } from './oids.js';

// Decoders for the extension values RFC 5280 defines and Sigstore relies on. Each takes the
// extnValue contents and throws DerError when they are not what the RFC says.

export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLength?: number;
}

export type KeyUsage =
  | 'digitalSignature'
  | 'contentCommitment'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: readonly KeyUsage[] = [
  'digitalSignature',
  'contentCommitment',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export type SubjectAltNameType = 'uri' | 'email' | 'dns' | 'ip' | 'otherName';

export interface SubjectAltName {
  readonly type: SubjectAltNameType;
  /** The name; for an OtherName other than Sigstore's (.1.7, a UTF8String), the value's DER in hex. */
  readonly value: string;
  /** OtherName only: its type-id. */
  readonly oid?: string;
}

export function decodeBasicConstraints(ext: Uint8Array): BasicConstraints {
  const seq = readWhole(ext, TAG.SEQUENCE, 'basic constraints');
  let ca = false;
  let pathLength: number | undefined;
  for (const item of children(ext, seq, 'basic constraints')) {
    if (item.tag === TAG.BOOLEAN && pathLength === undefined) ca = readBoolean(ext, item, 'basic constraints cA');
    else if (item.tag === TAG.INTEGER && pathLength === undefined) pathLength = readSmallInteger(ext, item, 'basic constraints pathLenConstraint');
    else throw new DerError('basic constraints: unexpected element');
  }
  return pathLength === undefined ? { ca } : { ca, pathLength };
}

export function decodeKeyUsage(ext: Uint8Array): ReadonlySet<KeyUsage> {
  const { bits } = readBitString(ext, readWhole(ext, TAG.BIT_STRING, 'key usage'), 'key usage');
  const usages = new Set<KeyUsage>();
  KEY_USAGE_BITS.forEach((name, i) => {
    if ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) usages.add(name);
  });
  return usages;
}

export function decodeExtendedKeyUsage(ext: Uint8Array): string[] {
  const seq = readWhole(ext, TAG.SEQUENCE, 'extended key usage');
  const purposes = children(ext, seq, 'extended key usage').map((item) => readOid(ext, item, 'key purpose'));
  if (purposes.length === 0) throw new DerError('extended key usage: empty');
  return purposes;
}

export function decodeSubjectKeyId(ext: Uint8Array): Uint8Array {
  return value(ext, readWhole(ext, TAG.OCTET_STRING, 'subject key identifier')).slice();
}

export function decodeAuthorityKeyId(ext: Uint8Array): Uint8Array | undefined {
  const seq = readWhole(ext, TAG.SEQUENCE, 'authority key identifier');
  const keyId = children(ext, seq, 'authority key identifier').find((item) => item.tag === contextTag(0, false));
  return keyId && value(ext, keyId).slice();
}

export function decodeSubjectAltNames(ext: Uint8Array): SubjectAltName[] {
  const seq = readWhole(ext, TAG.SEQUENCE, 'subject alternative name');
  const items = children(ext, seq, 'subject alternative name');
  if (items.length === 0) throw new DerError('subject alternative name: empty');
  const names: SubjectAltName[] = [];
  for (const item of items) {
    const content = value(ext, item);
    switch (item.tag) {
      case contextTag(1, false):
        names.push({ type: 'email', value: ia5(content, 'rfc822Name') });
        break;
      case contextTag(2, false):
        names.push({ type: 'dns', value: ia5(content, 'dNSName') });
        break;
      case contextTag(6, false):
        names.push({ type: 'uri', value: ia5(content, 'uniformResourceIdentifier') });
        break;
      case contextTag(7, false):
        names.push({ type: 'ip', value: formatIp(content) });
        break;
      case contextTag(0, true):
        names.push(decodeOtherName(ext, item));
        break;
      default:
        // directoryName, x400Address, ediPartyName, registeredID: not identities Sigstore issues.
        break;
    }
  }
  return names;
}

function decodeOtherName(ext: Uint8Array, item: Tlv): SubjectAltName {
  const [typeId, explicit, extra] = children(ext, item, 'otherName');
  if (!typeId || !explicit || extra) throw new DerError('otherName: expected a type-id and a value');
  const oid = readOid(ext, typeId, 'otherName type-id');
  expectTag(explicit, contextTag(0, true), 'otherName value');
  const [inner, more] = children(ext, explicit, 'otherName value');
  if (!inner || more) throw new DerError('otherName: expected exactly one value');
  if (oid === OID.fulcioOtherNameSan) {
    expectTag(inner, TAG.UTF8_STRING, 'Sigstore otherName SAN');
    return { type: 'otherName', value: readString(ext, inner, 'Sigstore otherName SAN'), oid };
  }
  return { type: 'otherName', value: encodeHex(ext.subarray(inner.start, inner.end)), oid };
}

function ia5(content: Uint8Array, what: string): string {
  let text = '';
  for (const b of content) {
    if (b > 0x7f) throw new DerError(`${what}: non-ASCII byte`);
    text += String.fromCharCode(b);
  }
  return text;
}

function formatIp(content: Uint8Array): string {
  if (content.length === 4) return content.join('.');
  if (content.length !== 16) throw new DerError(`iPAddress: expected 4 or 16 bytes, found ${content.length}`);
  const groups = Array.from({ length: 8 }, (_, i) => ((content[2 * i]! << 8) | content[2 * i + 1]!).toString(16));
  // RFC 5952: compress the longest run (two or more) of zero groups.
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}
