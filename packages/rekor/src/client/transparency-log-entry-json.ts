// A TransparencyLogEntry in protobuf JSON (what Rekor v2 answers a create-entry request with),
// read field by field.
import type { JsonCursor } from '@sigil/http-client';
import { MAX_BODY_BYTES } from '../entry/parse.js';
import { MAX_CHECKPOINT_LENGTH, readBase64, readUnixSeconds, rekorResponse } from './response-reader.js';
import type { TransparencyLogEntry } from './transparency-log-entry.js';

const MAX_PROOF_HASHES = 64;

export function readTransparencyLogEntryJson(value: unknown, what: string): TransparencyLogEntry {
  const root = rekorResponse(value, what);
  const kindVersion = root.field('kindVersion');
  const proof = root.optionalField('inclusionProof');
  const promise = root.optionalField('inclusionPromise');
  const time = root.optionalField('integratedTime');
  return {
    logIndex: root.field('logIndex').integer(),
    logId: readBase64(root.field('logId').field('keyId'), 64),
    kindVersion: { kind: kindVersion.field('kind').nonEmptyString(64), version: kindVersion.field('version').nonEmptyString(16) },
    integratedTime: time ? readUnixSeconds(time) : 0n,
    ...(promise ? { inclusionPromise: { signedEntryTimestamp: readBase64(promise.field('signedEntryTimestamp'), 1024) } } : {}),
    ...(proof ? { inclusionProof: readProof(proof) } : {}),
    canonicalizedBody: readBase64(root.field('canonicalizedBody'), MAX_BODY_BYTES),
  };
}

function readProof(cursor: JsonCursor): NonNullable<TransparencyLogEntry['inclusionProof']> {
  const hashes = cursor.optionalField('hashes');
  return {
    logIndex: cursor.field('logIndex').integer(),
    rootHash: readBase64(cursor.field('rootHash'), 32),
    treeSize: cursor.field('treeSize').integer(),
    hashes: hashes ? hashes.items(0, MAX_PROOF_HASHES).map((item) => readBase64(item, 32)) : [],
    checkpoint: cursor.field('checkpoint').field('envelope').nonEmptyString(MAX_CHECKPOINT_LENGTH),
  };
}
