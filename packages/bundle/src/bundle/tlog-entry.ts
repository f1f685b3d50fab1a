import { encodeBase64 } from '@sigil/encoding';
import type { JsonObject } from '../internal/json-node.js';
import type { InclusionProof, TransparencyLogEntry } from '../model.js';

// A Merkle audit path has at most one hash per tree level; int64 sizes give 63 levels.
const MAX_PROOF_HASHES = 64;

export function readTlogEntry(o: JsonObject): TransparencyLogEntry {
  const kindVersion = o.object('kindVersion');
  const entry: TransparencyLogEntry = {
    logIndex: o.int64('logIndex'),
    logId: o.object('logId').bytes('keyId'),
    kindVersion: { kind: kindVersion.string('kind'), version: kindVersion.string('version') },
    integratedTime: o.unixSeconds('integratedTime'),
    canonicalizedBody: o.bytes('canonicalizedBody'),
  };
  const promise = o.optionalObject('inclusionPromise');
  if (promise) entry.inclusionPromise = { signedEntryTimestamp: promise.bytes('signedEntryTimestamp') };
  const proof = o.optionalObject('inclusionProof');
  if (proof) entry.inclusionProof = readInclusionProof(proof);
  return entry;
}

function readInclusionProof(o: JsonObject): InclusionProof {
  const proof: InclusionProof = {
    logIndex: o.int64('logIndex'),
    rootHash: o.bytes('rootHash'),
    treeSize: o.int64('treeSize'),
    hashes: o.list('hashes', MAX_PROOF_HASHES).map((hash) => hash.asBytes()),
  };
  const checkpoint = o.optionalObject('checkpoint');
  if (checkpoint) proof.checkpoint = checkpoint.string('envelope');
  return proof;
}

/** protobuf JSON: int64 as decimal strings, bytes as standard base64. */
export function writeTlogEntry(entry: TransparencyLogEntry): Record<string, unknown> {
  const json: Record<string, unknown> = {
    logIndex: entry.logIndex.toString(),
    logId: { keyId: encodeBase64(entry.logId) },
    kindVersion: { kind: entry.kindVersion.kind, version: entry.kindVersion.version },
    integratedTime: entry.integratedTime.toString(),
  };
  if (entry.inclusionPromise) {
    json.inclusionPromise = { signedEntryTimestamp: encodeBase64(entry.inclusionPromise.signedEntryTimestamp) };
  }
  const proof = entry.inclusionProof;
  if (proof) {
    json.inclusionProof = {
      logIndex: proof.logIndex.toString(),
      rootHash: encodeBase64(proof.rootHash),
      treeSize: proof.treeSize.toString(),
      hashes: proof.hashes.map(encodeBase64),
      ...(proof.checkpoint === undefined ? {} : { checkpoint: { envelope: proof.checkpoint } }),
    };
  }
  json.canonicalizedBody = encodeBase64(entry.canonicalizedBody);
  return json;
}
