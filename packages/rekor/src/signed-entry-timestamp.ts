import { verifySignature, type PublicKey } from '@sigil/crypto';
import { encodeBase64, encodeHex, typeOf, utf8Encode } from '@sigil/encoding';
import { checkBytes, checkInt64, invalid } from './input-checks.js';

export interface SignedEntryTimestampFields {
  /** The canonicalized body bytes, exactly as logged. */
  body: Uint8Array;
  /** Unix seconds. */
  integratedTime: bigint;
  /** The global log index (not the tree-local index of a sharded log's inclusion proof). */
  logIndex: bigint;
  /** The log ID: SHA-256 of the log's public key (32 bytes). */
  logId: Uint8Array;
}

/**
 * The bytes a Rekor v1 SET signs: RFC 8785 JSON of {body, integratedTime, logID, logIndex}
 * with body in base64, logID in hex and the two integers as JSON numbers. Written by hand
 * so int64 values keep every digit (a JS number would round above 2^53).
 */
export function signedEntryTimestampPayload(fields: SignedEntryTimestampFields): Uint8Array {
  if (typeof fields !== 'object' || fields === null) invalid(`SET fields: expected an object, found ${typeOf(fields)}`);
  const body = checkBytes(fields.body, 'SET body');
  const integratedTime = checkInt64(fields.integratedTime, 'SET integratedTime');
  const logIndex = checkInt64(fields.logIndex, 'SET logIndex');
  const logId = checkBytes(fields.logId, 'SET logId', 32);
  // Keys in JCS order; base64 and hex need no JSON escaping.
  return utf8Encode(`{"body":"${encodeBase64(body)}","integratedTime":${integratedTime},"logID":"${encodeHex(logId)}","logIndex":${logIndex}}`);
}

/**
 * Whether `set` is the log key's signature over the entry's SET payload. False for a bad
 * or malformed signature; throws RekorError (REKOR_INPUT_INVALID) for malformed fields.
 */
export function verifySignedEntryTimestamp(fields: SignedEntryTimestampFields, set: Uint8Array, key: PublicKey): boolean {
  const payload = signedEntryTimestampPayload(fields);
  checkBytes(set, 'SET signature');
  if (typeof key !== 'object' || key === null || !('keyObject' in key)) invalid(`SET key: expected an imported PublicKey, found ${typeOf(key)}`);
  return verifySignature(key, payload, set);
}
