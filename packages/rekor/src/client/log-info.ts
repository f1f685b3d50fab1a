import type { JsonCursor } from '@sigil/http-client';
import { MAX_CHECKPOINT_LENGTH, readHash, readProofHashes, rekorResponse } from './response-reader.js';

export interface RekorShardInfo {
  rootHash: Uint8Array;
  treeSize: bigint;
  /** The checkpoint (signed note text) for this root. */
  signedTreeHead: string;
  treeId: bigint;
}

/** `GET /api/v1/log`: the active shard, and the frozen ones before it. */
export interface RekorLogInfo extends RekorShardInfo {
  inactiveShards: RekorShardInfo[];
}

export interface RekorConsistencyProof {
  /** The root at `lastSize`. */
  rootHash: Uint8Array;
  hashes: Uint8Array[];
}

const MAX_SHARDS = 100;

export function readLogInfo(value: unknown): RekorLogInfo {
  const root = rekorResponse(value, 'log info');
  const shards = root.optionalField('inactiveShards');
  return { ...readShard(root), inactiveShards: shards ? shards.items(0, MAX_SHARDS).map(readShard) : [] };
}

function readShard(cursor: JsonCursor): RekorShardInfo {
  return {
    rootHash: readHash(cursor.field('rootHash')),
    treeSize: cursor.field('treeSize').integer(),
    signedTreeHead: cursor.field('signedTreeHead').nonEmptyString(MAX_CHECKPOINT_LENGTH),
    treeId: cursor.field('treeID').integer(),
  };
}

export function readConsistencyProof(value: unknown): RekorConsistencyProof {
  const root = rekorResponse(value, 'consistency proof');
  return {
    rootHash: readHash(root.field('rootHash')),
    hashes: readProofHashes(root.field('hashes')),
  };
}
