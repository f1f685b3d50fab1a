import type { HashAlgorithm } from '@sigil/crypto';
import { encodeHex } from '@sigil/encoding';
import { der, type SignatureAlgorithm } from '@sigil/x509';
import { OID } from './oids.js';
import { hashAlgorithm } from './tst-info.js';

const { TAG, children, contextTag, expectTag, raw, readIntegerBytes, readOid, readSmallInteger, value } = der;

/** How a SignerInfo names its certificate (RFC 5652 section 5.3). */
export type SignerIdentifier =
  | { readonly issuerDer: Uint8Array; readonly serialNumber: string }
  | { readonly subjectKeyId: Uint8Array };

export interface SignerInfo {
  readonly sid: SignerIdentifier;
  readonly digestAlgorithm: HashAlgorithm;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  /** The signed attributes as signed: the DER SET OF, with the SET tag in place of [0]. */
  readonly signedAttributesDer: Uint8Array;
  /** The contentType signed attribute. */
  readonly contentType: string;
  /** The messageDigest signed attribute: the digest of the TSTInfo. */
  readonly messageDigest: Uint8Array;
}

export function decodeSignerInfo(bytes: Uint8Array, tlv: der.Tlv): SignerInfo {
  const [version, sid, digestAlg, attrs, sigAlg, signature, ...rest] = children(bytes, expectTag(tlv, TAG.SEQUENCE, 'SignerInfo'), 'SignerInfo');
  if (!version || !sid || !digestAlg || !attrs || !sigAlg || !signature) throw new der.DerError('SignerInfo: missing fields (signed attributes are required)');
  if (rest.length > 1 || (rest[0] && rest[0].tag !== contextTag(1, true))) throw new der.DerError('SignerInfo: unexpected trailing field');
  const v = readSmallInteger(bytes, version, 'SignerInfo version');
  if (v !== 1 && v !== 3) throw new der.DerError(`SignerInfo: unknown version ${v}`);
  expectTag(attrs, contextTag(0, true), 'SignerInfo signedAttrs');

  const signedAttributesDer = raw(bytes, attrs).slice();
  signedAttributesDer[0] = TAG.SET;
  const { contentType, messageDigest } = decodeSignedAttributes(bytes, attrs);
  const [sigOid, sigParams] = children(bytes, expectTag(sigAlg, TAG.SEQUENCE, 'signatureAlgorithm'), 'signatureAlgorithm');
  if (!sigOid) throw new der.DerError('signatureAlgorithm: empty');

  return {
    sid: decodeSid(bytes, sid),
    digestAlgorithm: hashAlgorithm(bytes, digestAlg, 'SignerInfo digestAlgorithm'),
    signatureAlgorithm: { oid: readOid(bytes, sigOid, 'signatureAlgorithm'), params: sigParams && raw(bytes, sigParams).slice() },
    signature: value(bytes, expectTag(signature, TAG.OCTET_STRING, 'SignerInfo signature')).slice(),
    signedAttributesDer,
    contentType,
    messageDigest,
  };
}

function decodeSid(bytes: Uint8Array, sid: der.Tlv): SignerIdentifier {
  if (sid.tag === contextTag(0, false)) return { subjectKeyId: value(bytes, sid).slice() };
  const [issuer, serial, extra] = children(bytes, expectTag(sid, TAG.SEQUENCE, 'SignerInfo sid'), 'SignerInfo sid');
  if (!issuer || !serial || extra) throw new der.DerError('IssuerAndSerialNumber: expected issuer and serialNumber');
  expectTag(issuer, TAG.SEQUENCE, 'IssuerAndSerialNumber issuer');
  return { issuerDer: raw(bytes, issuer).slice(), serialNumber: encodeHex(readIntegerBytes(bytes, serial, 'IssuerAndSerialNumber serialNumber')) };
}

/** RFC 5652 section 5.3: contentType and messageDigest are required, each once with one value. */
function decodeSignedAttributes(bytes: Uint8Array, attrs: der.Tlv): { contentType: string; messageDigest: Uint8Array } {
  const seen = new Set<string>();
  let contentType: string | undefined;
  let messageDigest: Uint8Array | undefined;
  for (const attr of children(bytes, attrs, 'signedAttrs')) {
    const [typeTlv, values, extra] = children(bytes, expectTag(attr, TAG.SEQUENCE, 'Attribute'), 'Attribute');
    if (!typeTlv || !values || extra) throw new der.DerError('Attribute: expected attrType and attrValues');
    const type = readOid(bytes, typeTlv, 'attrType');
    if (seen.has(type)) throw new der.DerError(`signed attribute ${type} appears twice`);
    seen.add(type);
    const items = children(bytes, expectTag(values, TAG.SET, 'attrValues'), 'attrValues');
    if (type !== OID.contentTypeAttribute && type !== OID.messageDigestAttribute) continue;
    if (items.length !== 1) throw new der.DerError(`signed attribute ${type}: expected exactly one value`);
    if (type === OID.contentTypeAttribute) contentType = readOid(bytes, items[0]!, 'contentType attribute');
    else messageDigest = value(bytes, expectTag(items[0]!, TAG.OCTET_STRING, 'messageDigest attribute')).slice();
  }
  if (!contentType || !messageDigest) throw new der.DerError('signedAttrs: contentType and messageDigest are required');
  return { contentType, messageDigest };
}
