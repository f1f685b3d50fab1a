import type { HashAlgorithm } from '@sigil/crypto';
import { encodeHex } from '@sigil/encoding';
import { der, HASH_OIDS } from '@sigil/x509';
import { TsaError } from './errors.js';

const { TAG, children, contextTag, expectTag, readIntegerBytes, readOid, readSmallInteger, readTime, readWhole, value } = der;

/** The parts of a TSTInfo (RFC 3161 section 2.4.2) a verifier uses. */
export interface TstInfo {
  readonly policy: string;
  readonly messageImprint: { readonly algorithm: HashAlgorithm; readonly digest: Uint8Array };
  /** Lowercase hex of the serial's content bytes. */
  readonly serialNumber: string;
  readonly genTime: Date;
  /** Lowercase hex of the nonce's content bytes, when the request carried one. */
  readonly nonce: string | undefined;
}

/** Decodes a DER TSTInfo; throws der.DerError, or TsaError for an unsupported imprint hash. */
export function decodeTstInfo(bytes: Uint8Array): TstInfo {
  const fields = children(bytes, readWhole(bytes, TAG.SEQUENCE, 'TSTInfo'), 'TSTInfo');
  const [version, policy, imprint, serial, genTime, ...optional] = fields;
  if (!version || !policy || !imprint || !serial || !genTime) throw new der.DerError('TSTInfo: missing required fields');
  if (readSmallInteger(bytes, version, 'TSTInfo version') !== 1) throw new der.DerError('TSTInfo: expected version 1');
  expectTag(genTime, TAG.GENERALIZED_TIME, 'TSTInfo genTime');

  let nonce: string | undefined;
  let at = 0;
  const take = (tag: number) => (optional[at]?.tag === tag ? optional[at++] : undefined);
  take(TAG.SEQUENCE); // accuracy
  take(TAG.BOOLEAN); // ordering
  const nonceTlv = take(TAG.INTEGER);
  if (nonceTlv) nonce = encodeHex(readIntegerBytes(bytes, nonceTlv, 'TSTInfo nonce'));
  take(contextTag(0, true)); // tsa name
  take(contextTag(1, true)); // extensions
  if (at !== optional.length) throw new der.DerError('TSTInfo: unexpected field');

  return {
    policy: readOid(bytes, policy, 'TSTInfo policy'),
    messageImprint: decodeImprint(bytes, imprint),
    serialNumber: encodeHex(readIntegerBytes(bytes, serial, 'TSTInfo serialNumber')),
    genTime: readTime(bytes, genTime, 'TSTInfo genTime', true),
    nonce,
  };
}

function decodeImprint(bytes: Uint8Array, imprint: der.Tlv): TstInfo['messageImprint'] {
  const [algorithm, digest, extra] = children(bytes, expectTag(imprint, TAG.SEQUENCE, 'messageImprint'), 'messageImprint');
  if (!algorithm || !digest || extra) throw new der.DerError('messageImprint: expected hashAlgorithm and hashedMessage');
  const hash = hashAlgorithm(bytes, algorithm, 'messageImprint hashAlgorithm');
  return { algorithm: hash, digest: value(bytes, expectTag(digest, TAG.OCTET_STRING, 'hashedMessage')).slice() };
}

/** The SHA-2 hash an AlgorithmIdentifier names; anything else is TSA_UNSUPPORTED_ALGORITHM. */
export function hashAlgorithm(bytes: Uint8Array, algorithm: der.Tlv, what: string): HashAlgorithm {
  const [oidTlv] = children(bytes, expectTag(algorithm, TAG.SEQUENCE, what), what);
  if (!oidTlv) throw new der.DerError(`${what}: empty AlgorithmIdentifier`);
  const oid = readOid(bytes, oidTlv, what);
  const hash = HASH_OIDS[oid];
  if (!hash) throw new TsaError('TSA_UNSUPPORTED_ALGORITHM', `${what}: expected SHA-256, SHA-384 or SHA-512, found OID ${oid}`, { details: { oid } });
  return hash;
}
