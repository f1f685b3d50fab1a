import { randomBytes } from 'node:crypto';
import { encodeHex, typeOf } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { MerkleTree, signCheckpoint } from '@sigil/merkle';
import { entryUuid, signedEntryTimestampPayload } from '@sigil/rekor';
import { checkBytes, checkDate, checkString, invalid, unixSeconds } from './checks.js';
import { StackError } from './errors.js';
import { generateSigningKey, type SigningKey } from './keys.js';

export interface TransparencyLogOptions {
  /** The log's host: checkpoint key name, origin prefix and baseUrl. Default `rekor.local`. */
  host?: string;
  /** Trillian tree ID in the checkpoint origin; default a random positive int63. */
  treeId?: bigint;
}

export interface InclusionProof {
  /** Index in the tree (equal to the global index: this log has one shard). */
  logIndex: bigint;
  rootHash: Uint8Array;
  treeSize: bigint;
  /** Leaf to root, RFC 6962 PATH. */
  hashes: Uint8Array[];
  /** Signed note over this tree head. */
  checkpoint: string;
}

/** A Rekor v1 log entry with its promise and a proof against the tree head when it was read. */
export interface LogEntry {
  /** 64 hex: the leaf hash of the body. */
  uuid: string;
  /** 80 hex: tree ID then UUID, the key Rekor v1 answers with. */
  entryId: string;
  body: Uint8Array;
  logIndex: bigint;
  /** Unix seconds. */
  integratedTime: bigint;
  logId: Uint8Array;
  signedEntryTimestamp: Uint8Array;
  inclusionProof: InclusionProof;
}

export interface SignedTreeHead {
  treeSize: bigint;
  rootHash: Uint8Array;
  checkpoint: string;
}

/** An in-process Rekor v1 log: ECDSA P-256 key, RFC 6962 tree, SETs and signed checkpoints. */
export interface TransparencyLog {
  readonly host: string;
  readonly treeId: bigint;
  /** `<host> - <treeId>`, the checkpoint's first line. */
  readonly origin: string;
  readonly baseUrl: string;
  readonly key: SigningKey;
  /** SHA-256 of the log's SPKI. */
  readonly logId: Uint8Array;
  readonly size: bigint;
  /** Logs a canonical body at `integratedTime` (default now); throws STACK_ENTRY_EXISTS for a body already logged. */
  add(body: Uint8Array, integratedTime?: Date): LogEntry;
  /** The entry at `logIndex`, proved against the current tree head. */
  entry(logIndex: bigint): LogEntry;
  /** The entry with this 64-hex UUID or 80-hex entry ID. */
  entryByUuid(uuid: string): LogEntry;
  treeHead(): SignedTreeHead;
  /** RFC 6962 PROOF that the tree at `lastSize` (default now) extends the tree at `firstSize`. */
  consistencyProof(firstSize: bigint, lastSize?: bigint): Uint8Array[];
}

const MAX_INT63 = (1n << 63n) - 1n;

export function createTransparencyLog(options: TransparencyLogOptions = {}): TransparencyLog {
  const host = checkString(options.host ?? 'rekor.local', 'log host');
  if (/[\s+]/.test(host)) invalid(`log host: expected a name without spaces or "+", found "${host}"`);
  const treeId = options.treeId ?? randomTreeId();
  if (typeof treeId !== 'bigint' || treeId <= 0n || treeId > MAX_INT63) invalid(`log treeId: expected a bigint from 1 to 2^63-1, found ${typeOf(treeId)}`);
  const origin = `${host} - ${treeId}`;
  const key = generateSigningKey('P-256');
  const logId = key.keyId;
  const tree = new MerkleTree();
  const entries: { body: Uint8Array; uuid: string; integratedTime: bigint }[] = [];
  const indexByUuid = new Map<string, bigint>();
  const treeIdHex = treeId.toString(16).padStart(16, '0');

  const treeHead = (): SignedTreeHead => {
    const treeSize = tree.size;
    const rootHash = tree.rootHash();
    const checkpoint = signCheckpoint({ origin, treeSize, rootHash }, [{ name: host, keyHint: logId.slice(0, 4), sign: key.sign }]);
    return { treeSize, rootHash, checkpoint };
  };

  const entry = (logIndex: bigint): LogEntry => {
    if (typeof logIndex !== 'bigint' || logIndex < 0n || logIndex >= tree.size) {
      throw new StackError('STACK_ENTRY_NOT_FOUND', `log entry: expected an index from 0 to ${tree.size - 1n}, found ${String(logIndex)}`);
    }
    const { body, uuid, integratedTime } = entries[Number(logIndex)]!;
    const head = treeHead();
    const signedEntryTimestamp = key.sign(signedEntryTimestampPayload({ body, integratedTime, logIndex, logId }));
    return {
      uuid,
      entryId: treeIdHex + uuid,
      body,
      logIndex,
      integratedTime,
      logId,
      signedEntryTimestamp,
      inclusionProof: { logIndex, rootHash: head.rootHash, treeSize: head.treeSize, hashes: tree.inclusionProof(logIndex, head.treeSize), checkpoint: head.checkpoint },
    };
  };

  return {
    host,
    treeId,
    origin,
    baseUrl: `https://${host}`,
    key,
    logId,
    get size() {
      return tree.size;
    },
    add(body, integratedTime = new Date()) {
      checkBytes(body, 'log entry body');
      const time = unixSeconds(checkDate(integratedTime, 'integratedTime'));
      const uuid = entryUuid(body);
      const existing = indexByUuid.get(uuid);
      if (existing !== undefined) {
        throw new StackError('STACK_ENTRY_EXISTS', `log entry: the log already holds this body at index ${existing}`, {
          details: { uuid, entryId: treeIdHex + uuid, logIndex: existing.toString() },
        });
      }
      const logIndex = tree.append(body);
      entries.push({ body: body.slice(), uuid, integratedTime: time });
      indexByUuid.set(uuid, logIndex);
      return entry(logIndex);
    },
    entry,
    entryByUuid(uuid) {
      const key = typeof uuid === 'string' ? uuid.toLowerCase() : '';
      const leaf = key.length === 80 && key.startsWith(treeIdHex) ? key.slice(16) : key;
      const index = indexByUuid.get(leaf);
      if (index === undefined) throw new StackError('STACK_ENTRY_NOT_FOUND', `log entry: no entry with UUID ${String(uuid)}`);
      return entry(index);
    },
    treeHead,
    consistencyProof(firstSize, lastSize = tree.size) {
      try {
        return tree.consistencyProof(firstSize, lastSize);
      } catch (err) {
        invalid(`consistency proof: expected 0 < firstSize <= lastSize <= ${tree.size}, found ${String(firstSize)} and ${String(lastSize)} (${describeError(err)})`);
      }
    },
  };
}

function randomTreeId(): bigint {
  const value = BigInt(`0x${encodeHex(randomBytes(8))}`) & MAX_INT63;
  return value === 0n ? 1n : value;
}
