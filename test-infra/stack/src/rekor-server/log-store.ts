// The durable Rekor v1 log: entries file + RFC 6962 tree + UUID index. The log thread gives an
// entry its index, signs and writes it; the entry joins the tree (and is visible in reads,
// tree heads and proofs) only once that write is durable: a checkpoint never covers an entry
// a crash could take back, so every tree head handed out stays a prefix of the tree after a
// restart.
import { join } from 'node:path';
import { encodeHex } from '@sigil/encoding';
import { leafHash, signCheckpoint } from '@sigil/merkle';
import { signedEntryTimestampPayload } from '@sigil/rekor';
import type { SigningKey } from '../keys.js';
import { replayEntries } from './entries-replay.js';
import type { EntryRecord } from './entry-record.js';
import { RekorServiceError } from './errors.js';
import { startLogWorker } from './log-worker.js';

export const ENTRIES_FILE = 'entries.log';
const INDEX_PLACEHOLDER = Buffer.from('"logIndex":0}');

export interface SignedTreeHead {
  treeSize: bigint;
  rootHash: Uint8Array;
  checkpoint: string;
}

export interface StoredEntry extends EntryRecord {
  /** 64 hex: the leaf hash. */
  uuid: string;
}

export type AddOutcome =
  | { outcome: 'logged'; entry: StoredEntry }
  /** The log already holds the body (or a request for it was first). */
  | { outcome: 'duplicate'; logIndex: number; uuid: string };

export interface LogStore {
  /** Entries that are synced: the tree size every answer uses. */
  readonly size: number;
  /** Logs a checked canonical body and waits until it is durable. */
  add(body: Uint8Array, integratedTime: bigint): Promise<AddOutcome>;
  /** The synced entry at `logIndex` (< size). */
  entry(logIndex: number): StoredEntry;
  /** The index of the synced entry whose leaf hash is `uuid` (64 lowercase hex). */
  indexOf(uuid: string): number | undefined;
  /** The current tree head, signed once per size. */
  treeHead(): SignedTreeHead;
  inclusionProof(logIndex: number, treeSize: bigint): Uint8Array[];
  consistencyProof(firstSize: bigint, lastSize: bigint): Uint8Array[];
  rootHash(size: bigint): Uint8Array;
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
  const path = join(dir, ENTRIES_FILE);
  const { file, droppedBytes, hashes, tree, indexByLeaf: indexByUuid, offsets, sizes } = await replayEntries(path);

  let closed = false;
  let head: SignedTreeHead | undefined;
  // Bodies on their way through the log thread, by UUID: a second request for one waits for the first.
  const inFlight = new Map<string, Promise<StoredEntry>>();
  // Durable entries join the tree strictly in index order, whatever order their answers are read in.
  const arrived = new Map<number, () => void>();
  const worker = startLogWorker({ path, offset: file.end, nextIndex: offsets.length, privateKey: key.privateKey });

  const applyInOrder = () => {
    for (let apply = arrived.get(offsets.length); apply; apply = arrived.get(offsets.length)) {
      arrived.delete(offsets.length);
      apply();
    }
  };

  const log = async (body: Uint8Array, integratedTime: bigint, leaf: Uint8Array, uuid: string): Promise<StoredEntry> => {
    // @sigil/rekor writes the SET payload; its last value (RFC 8785 order), the log index, is
    // the thread's to fill in.
    const template = signedEntryTimestampPayload({ body, integratedTime, logIndex: 0n, logId });
    if (!Buffer.from(template.subarray(-INDEX_PLACEHOLDER.length)).equals(INDEX_PLACEHOLDER)) {
      throw new RekorServiceError('STACK_REKOR_STORAGE_FAILED', 'SET payload: expected it to end with the log index');
    }
    const payloadPrefix = template.subarray(0, template.length - 2);
    const { logIndex, signedEntryTimestamp, offset, size } = await worker.append({ body, integratedTime, payloadPrefix });
    await new Promise<void>((resolve) => {
      arrived.set(logIndex, () => {
        tree.appendLeafHash(leaf);
        indexByUuid.set(uuid, logIndex);
        offsets.push(offset);
        sizes.push(size);
        resolve();
      });
      applyInOrder();
    });
    return { logIndex: BigInt(logIndex), integratedTime, signedEntryTimestamp, body, uuid };
  };

  const store: LogStore = {
    get size() {
      return offsets.length;
    },
    async add(body, integratedTime) {
      if (closed) throw new RekorServiceError('STACK_REKOR_CLOSED', 'the log is closed');
      const leaf = leafHash(body);
      const uuid = encodeHex(leaf);
      const existing = indexByUuid.get(uuid);
      if (existing !== undefined) return { outcome: 'duplicate', logIndex: existing, uuid };
      const first = inFlight.get(uuid);
      if (first) return { outcome: 'duplicate', logIndex: Number((await first).logIndex), uuid };
      const logged = log(body, integratedTime, leaf, uuid);
      inFlight.set(uuid, logged);
      try {
        return { outcome: 'logged', entry: await logged };
      } finally {
        inFlight.delete(uuid);
      }
    },
    entry(logIndex) {
      if (!(logIndex >= 0 && logIndex < offsets.length)) {
        throw new RekorServiceError('STACK_REKOR_STORAGE_FAILED', `entry ${logIndex} is not in the synced log of ${offsets.length}`);
      }
      const record = file.read(offsets[logIndex]!, sizes[logIndex]!);
      return { ...record, uuid: encodeHex(hashes.get(0, BigInt(logIndex))!) };
    },
    indexOf: (uuid) => indexByUuid.get(uuid),
    treeHead() {
      const treeSize = tree.size;
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
    async close() {
      if (closed) return;
      closed = true;
      await worker.close();
      await file.close();
    },
  };
  return { store, droppedBytes };
}
