// The durable Rekor v1 log: entries file + RFC 6962 tree + UUID index. An entry gets its
// index and time when it is added, but it is only visible (in reads, tree heads and proofs)
// once the write holding it is synced: a checkpoint never covers an entry a crash could take
// back, so every tree head handed out stays a prefix of the tree after a restart.
import { join } from 'node:path';
import { encodeHex } from '@sigil/encoding';
import { leafHash, MerkleTree, signCheckpoint } from '@sigil/merkle';
import { signedEntryTimestampPayload } from '@sigil/rekor';
import type { SigningKey } from '../keys.js';
import type { P256DigestJob } from './ecdsa-p256-digest.js';
import { openEntriesFile } from './entries-file.js';
import type { EntryRecord } from './entry-record.js';
import { RekorServiceError } from './errors.js';
import { startLogWorker } from './log-worker.js';
import { PackedHashStore } from './packed-hash-store.js';

export const ENTRIES_FILE = 'entries.log';

export interface SignedTreeHead {
  treeSize: bigint;
  rootHash: Uint8Array;
  checkpoint: string;
}

export interface StoredEntry extends EntryRecord {
  /** 64 hex: the leaf hash. */
  uuid: string;
}

/** A new entry (resolved once durable), or the index of the one already holding the body (wait for it to be durable too). */
export type AddResult = { added: true; durable: Promise<StoredEntry> } | { added: false; logIndex: number; uuid: string; durable: Promise<unknown> };

export interface LogStore {
  /** Entries that are synced: the tree size every answer uses. */
  readonly size: number;
  /** Adds a canonical body, or names the entry that already holds it. */
  add(body: Uint8Array, integratedTime: bigint): AddResult;
  /** The synced entry at `logIndex` (< size). */
  entry(logIndex: number): StoredEntry;
  /** The index of the synced entry whose leaf hash is `uuid` (64 lowercase hex). */
  indexOf(uuid: string): number | undefined;
  /** The current tree head, signed once per size. */
  treeHead(): SignedTreeHead;
  inclusionProof(logIndex: number, treeSize: bigint): Uint8Array[];
  consistencyProof(firstSize: bigint, lastSize: bigint): Uint8Array[];
  rootHash(size: bigint): Uint8Array;
  /** P-256 signature checks over digests, off the event loop. */
  verifyP256Digest(job: P256DigestJob): Promise<boolean>;
  /** Waits for pending writes, then closes; later adds throw STACK_REKOR_CLOSED. */
  close(): Promise<void>;
}

export interface LogStoreOptions {
  dir: string;
  key: SigningKey;
  /** `<host> - <treeId>`. */
  origin: string;
  /** Checkpoint key name. */
  host: string;
}

export interface OpenedLogStore {
  store: LogStore;
  /** Bytes of an unacknowledged torn tail dropped at open. */
  droppedBytes: number;
}

export async function openLogStore({ dir, key, origin, host }: LogStoreOptions): Promise<OpenedLogStore> {
  const logId = key.keyId;
  const hashes = new PackedHashStore();
  const tree = new MerkleTree(hashes);
  const indexByUuid = new Map<string, number>();
  const offsets: number[] = [];
  const sizes: number[] = [];
  const path = join(dir, ENTRIES_FILE);

  const { file, droppedBytes } = await openEntriesFile(path, (record, offset, size) => {
    const expected = offsets.length;
    if (record.logIndex !== BigInt(expected)) {
      throw new RekorServiceError('STACK_REKOR_STORAGE_CORRUPT', `${path}: expected entry ${expected} at offset ${offset}, found entry ${record.logIndex}`);
    }
    const leaf = leafHash(record.body);
    const uuid = encodeHex(leaf);
    if (indexByUuid.has(uuid)) {
      throw new RekorServiceError('STACK_REKOR_STORAGE_CORRUPT', `${path}: entry ${expected} repeats the body of entry ${indexByUuid.get(uuid)}`);
    }
    tree.appendLeafHash(leaf);
    indexByUuid.set(uuid, expected);
    offsets.push(offset);
    sizes.push(size);
  });

  let durableSize = offsets.length;
  let closed = false;
  let failure: RekorServiceError | undefined;
  let head: SignedTreeHead | undefined;
  const pending = new Map<number, Promise<StoredEntry>>();
  const worker = startLogWorker({
    path,
    offset: file.end,
    privateKey: key.privateKey,
    onFailure: (error) => {
      // The tree already holds entries the file may not: accept nothing more.
      failure = error;
    },
  });

  const store: LogStore = {
    get size() {
      return durableSize;
    },
    add(body, integratedTime) {
      if (closed) throw new RekorServiceError('STACK_REKOR_CLOSED', 'the log is closed');
      if (failure) throw failure;
      const leaf = leafHash(body);
      const uuid = encodeHex(leaf);
      const existing = indexByUuid.get(uuid);
      if (existing !== undefined) return { added: false, logIndex: existing, uuid, durable: pending.get(existing) ?? Promise.resolve() };
      const logIndex = Number(tree.appendLeafHash(leaf));
      indexByUuid.set(uuid, logIndex);
      const payload = signedEntryTimestampPayload({ body, integratedTime, logIndex: BigInt(logIndex), logId });
      const durable = worker.append({ logIndex, integratedTime, payload, body }).then(({ signedEntryTimestamp, offset, size }) => {
        // Durable messages arrive in log-index order.
        offsets.push(offset);
        sizes.push(size);
        durableSize = logIndex + 1;
        pending.delete(logIndex);
        return { logIndex: BigInt(logIndex), integratedTime, signedEntryTimestamp, body, uuid };
      });
      pending.set(logIndex, durable);
      durable.catch(() => pending.delete(logIndex));
      return { added: true, durable };
    },
    entry(logIndex) {
      if (!(logIndex >= 0 && logIndex < durableSize)) {
        throw new RekorServiceError('STACK_REKOR_STORAGE_FAILED', `entry ${logIndex} is not in the synced log of ${durableSize}`);
      }
      const record = file.read(offsets[logIndex]!, sizes[logIndex]!);
      return { ...record, uuid: encodeHex(hashes.get(0, BigInt(logIndex))!) };
    },
    indexOf(uuid) {
      const index = indexByUuid.get(uuid);
      return index !== undefined && index < durableSize ? index : undefined;
    },
    treeHead() {
      const treeSize = BigInt(durableSize);
      if (head?.treeSize !== treeSize) {
        const rootHash = tree.rootHash(treeSize);
        const checkpoint = signCheckpoint({ origin, treeSize, rootHash }, [{ name: host, keyHint: logId.slice(0, 4), sign: key.sign }]);
        head = { treeSize, rootHash, checkpoint };
      }
      return head;
    },
    inclusionProof: (logIndex, treeSize) => tree.inclusionProof(BigInt(logIndex), treeSize),
    consistencyProof: (firstSize, lastSize) => tree.consistencyProof(firstSize, lastSize),
    rootHash: (size) => tree.rootHash(size),
    verifyP256Digest: (job) => worker.verifyP256Digest(job),
    async close() {
      if (closed) return;
      closed = true;
      await worker.close();
      await file.close();
    },
  };
  return { store, droppedBytes };
}
