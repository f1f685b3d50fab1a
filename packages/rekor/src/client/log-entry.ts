import type { JsonCursor } from '@sigil/http-client';
import { entryUuid } from '../body-builders.js';
import { MAX_BODY_BYTES } from '../entry/parse.js';
import { MAX_CHECKPOINT_LENGTH, readBase64, readHash, readProofHashes, readUnixSeconds, rekorResponse, responseInvalid } from './response-reader.js';

export interface RekorInclusionProof {
  /** Index within the tree (shard) the proof is for; the Merkle path uses this one. */
  logIndex: bigint;
  rootHash: Uint8Array;
  treeSize: bigint;
  hashes: Uint8Array[];
  /** The signed checkpoint (note text) for `rootHash` at `treeSize`. */
  checkpoint: string;
}

/** A Rekor v1 LogEntry, decoded. */
export interface RekorLogEntry {
  /** The key Rekor gave the entry: 64 hex (leaf hash) or 80 hex (tree ID, then leaf hash), lower case. */
  uuid: string;
  /** The canonicalized entry body, decoded from base64: the bytes the log hashed. */
  body: Uint8Array;
  /** Unix seconds. */
  integratedTime: bigint;
  /** SHA-256 of the log's public key. */
  logId: Uint8Array;
  /** The global index: the one the SET covers. */
  logIndex: bigint;
  verification: {
    signedEntryTimestamp: Uint8Array;
    inclusionProof?: RekorInclusionProof;
  };
}

const ENTRY_ID = /^([0-9a-f]{16})?([0-9a-f]{64})$/;
const MAX_SET_BYTES = 1024;
/** Rekor's retrieve endpoint answers at most 10 lookups; a single-entry answer has one. */
const MAX_ENTRIES = 10;

/**
 * `{ "<uuid>": LogEntry, ... }`: each entry checked field by field, and its key checked to
 * end in the leaf hash of its body (a server cannot pass off one entry's body as another's).
 */
export function readLogEntries(value: unknown, what: string): RekorLogEntry[] {
  const root = rekorResponse(value, what);
  const keys = Object.keys(root.object());
  if (keys.length === 0 || keys.length > MAX_ENTRIES) root.fail(`expected 1 to ${MAX_ENTRIES} entries keyed by UUID, found ${keys.length}`);
  return keys.map((key) => readLogEntry(key, root.field(key)));
}

/** Exactly one entry, the one that was asked for. */
export function readOneLogEntry(value: unknown, what: string, matches: (entry: RekorLogEntry) => boolean, wanted: string): RekorLogEntry {
  const entries = readLogEntries(value, what);
  if (entries.length !== 1) throw responseInvalid(`Rekor ${what}: expected one entry, found ${entries.length}`);
  const entry = entries[0]!;
  if (!matches(entry)) throw responseInvalid(`Rekor ${what}: expected ${wanted}, found entry ${entry.uuid} at index ${entry.logIndex}`, { uuid: entry.uuid });
  return entry;
}

function readLogEntry(key: string, cursor: JsonCursor): RekorLogEntry {
  const uuid = key.toLowerCase();
  const id = ENTRY_ID.exec(uuid);
  if (!id) cursor.fail(`expected the entry keyed by a 64 or 80 hex UUID, found "${key.slice(0, 100)}"`);
  const body = readBase64(cursor.field('body'), MAX_BODY_BYTES);
  if (entryUuid(body) !== id[2]) cursor.fail(`expected the UUID to be the leaf hash of the body (${entryUuid(body)}), found ${id[2]}`);
  const verification = cursor.field('verification');
  const proof = verification.optionalField('inclusionProof');
  return {
    uuid,
    body,
    integratedTime: readUnixSeconds(cursor.field('integratedTime')),
    logId: readHash(cursor.field('logID')),
    logIndex: cursor.field('logIndex').integer(),
    verification: {
      signedEntryTimestamp: readBase64(verification.field('signedEntryTimestamp'), MAX_SET_BYTES),
      ...(proof ? { inclusionProof: readInclusionProof(proof) } : {}),
    },
  };
}

function readInclusionProof(cursor: JsonCursor): RekorInclusionProof {
  return {
    logIndex: cursor.field('logIndex').integer(),
    rootHash: readHash(cursor.field('rootHash')),
    treeSize: cursor.field('treeSize').integer(),
    hashes: readProofHashes(cursor.field('hashes')),
    checkpoint: cursor.field('checkpoint').nonEmptyString(MAX_CHECKPOINT_LENGTH),
  };
}

