// The two request forms Sigstore's TSA takes: a DER TimeStampReq (RFC 3161 section 2.4.1)
// and the JSON sigstore-js sends, {artifactHash, hashAlgorithm, nonce?, certificates?, tsaPolicyOID?}.
import { AsnConvert } from '@peculiar/asn1-schema';
import { TimeStampReq } from '@peculiar/asn1-tsp';
import { HASH_SIZE, type HashAlgorithm } from '@sigil/crypto';
import { decodeBase64, typeOf } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { der } from '@sigil/x509';
import { refuse } from './reasons.js';

export interface TimestampRequest {
  hashAlgorithm: HashAlgorithm;
  digest: Uint8Array;
  /** The nonce's INTEGER content bytes, echoed as they came. */
  nonce?: Uint8Array;
  /** Whether the token must carry the TSA's certificate. */
  certReq: boolean;
  /** The policy asked for, if any. */
  policy?: string;
}

export const HASH_OIDS: Record<HashAlgorithm, string> = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
const HASH_BY_OID = new Map(Object.entries(HASH_OIDS).map(([name, oid]) => [oid, name as HashAlgorithm]));
const WEAK_HASHES: Record<string, string> = { '1.3.14.3.2.26': 'sha1', '1.2.840.113549.2.5': 'md5' };
// A nonce is a large random number (RFC 3161 uses 64 bits); more than this is abuse.
const MAX_NONCE_BYTES = 64;

export function parseDerRequest(bytes: Uint8Array, policy: string): TimestampRequest {
  let request: TimeStampReq;
  try {
    der.readWhole(bytes, der.TAG.SEQUENCE, 'TimeStampReq');
    request = AsnConvert.parse(bytes, TimeStampReq);
  } catch (err) {
    refuse('TSA_REQUEST_MALFORMED', `timestamp request: not a DER TimeStampReq (${describeError(err)})`);
  }
  if (request.version !== 1) refuse('TSA_REQUEST_MALFORMED', `timestamp request: expected version 1, found ${request.version}`);
  const oid = request.messageImprint.hashAlgorithm.algorithm;
  const hashAlgorithm = HASH_BY_OID.get(oid) ?? refuse('TSA_HASH_UNSUPPORTED', `timestamp request: hash algorithm ${WEAK_HASHES[oid] ?? `OID ${oid}`} is not accepted (expected SHA-256, SHA-384 or SHA-512)`);
  if (request.extensions && request.extensions.length > 0) {
    refuse('TSA_EXTENSION_UNACCEPTED', `timestamp request: extensions are not accepted, found ${request.extensions.map((ext) => ext.extnID).join(', ')}`);
  }
  return checked(
    {
      hashAlgorithm,
      digest: new Uint8Array(request.messageImprint.hashedMessage.buffer),
      certReq: request.certReq,
      ...(request.nonce === undefined ? {} : { nonce: new Uint8Array(request.nonce) }),
      ...(request.reqPolicy === undefined ? {} : { policy: request.reqPolicy }),
    },
    policy,
  );
}

export function parseJsonRequest(text: string, policy: string): TimestampRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    refuse('TSA_REQUEST_MALFORMED', `timestamp request: not valid JSON (${describeError(err)})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) refuse('TSA_REQUEST_MALFORMED', `timestamp request: expected a JSON object, found ${typeOf(body)}`);
  const { artifactHash, hashAlgorithm, nonce, certificates, tsaPolicyOID } = body as Record<string, unknown>;
  if (typeof hashAlgorithm !== 'string') refuse('TSA_REQUEST_MALFORMED', `timestamp request: expected hashAlgorithm "sha256", "sha384" or "sha512", found ${typeOf(hashAlgorithm)}`);
  const name = hashAlgorithm.toLowerCase();
  if (!(name in HASH_OIDS)) refuse('TSA_HASH_UNSUPPORTED', `timestamp request: hash algorithm "${hashAlgorithm}" is not accepted (expected sha256, sha384 or sha512)`);
  if (typeof artifactHash !== 'string' || artifactHash === '') refuse('TSA_REQUEST_MALFORMED', `timestamp request: expected artifactHash as base64, found ${typeOf(artifactHash)}`);
  let digest: Uint8Array;
  try {
    digest = decodeBase64(artifactHash, 'artifactHash');
  } catch (err) {
    refuse('TSA_REQUEST_MALFORMED', `timestamp request: artifactHash is not base64 (${describeError(err)})`);
  }
  if (certificates !== undefined && typeof certificates !== 'boolean') refuse('TSA_REQUEST_MALFORMED', `timestamp request: expected certificates as a boolean, found ${typeOf(certificates)}`);
  if (tsaPolicyOID !== undefined && (typeof tsaPolicyOID !== 'string' || !/^\d+(\.\d+)+$/.test(tsaPolicyOID))) {
    refuse('TSA_REQUEST_MALFORMED', `timestamp request: expected tsaPolicyOID as a dotted OID, found ${JSON.stringify(tsaPolicyOID)}`);
  }
  return checked(
    {
      hashAlgorithm: name as HashAlgorithm,
      digest,
      certReq: certificates === true,
      ...(nonce === undefined || nonce === null ? {} : { nonce: nonceBytes(nonce) }),
      ...(tsaPolicyOID === undefined ? {} : { policy: tsaPolicyOID as string }),
    },
    policy,
  );
}

function checked(request: TimestampRequest, policy: string): TimestampRequest {
  const expected = HASH_SIZE[request.hashAlgorithm];
  if (request.digest.length !== expected) {
    refuse('TSA_DIGEST_LENGTH', `timestamp request: a ${request.hashAlgorithm} digest has ${expected} bytes, found ${request.digest.length}`);
  }
  if (request.policy !== undefined && request.policy !== policy) {
    refuse('TSA_POLICY_UNACCEPTED', `timestamp request: policy ${request.policy} is not accepted (this TSA issues under ${policy})`);
  }
  if (request.nonce && (request.nonce.length === 0 || request.nonce.length > MAX_NONCE_BYTES)) {
    refuse('TSA_REQUEST_MALFORMED', `timestamp request: expected a nonce of 1 to ${MAX_NONCE_BYTES} bytes, found ${request.nonce.length}`);
  }
  return request;
}

/**
 * A JSON nonce: a non-negative safe integer, or a decimal string for larger ones (JSON
 * numbers beyond 2^53 lose digits in JavaScript), as a DER INTEGER's content bytes.
 */
function nonceBytes(value: unknown): Uint8Array {
  let n: bigint;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) n = BigInt(value);
  else if (typeof value === 'string' && /^\d{1,154}$/.test(value)) n = BigInt(value);
  else refuse('TSA_REQUEST_MALFORMED', `timestamp request: expected nonce as a non-negative integer (or a decimal string), found ${JSON.stringify(value)}`);
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`; // stay positive in two's complement
  return Uint8Array.from(hex.match(/../g)!, (byte) => parseInt(byte, 16));
}
