// The durable Rekor v2 log. The entries file (shared with the v1 log: group commit on the log
// thread, O_DSYNC, torn tails cut at start) is the record; the tile directory is derived from
// it. An append is answered only once its entry is durable, the tiles covering it are written
// and a checkpoint that includes it is published: every checkpoint handed out is a prefix of
// what a restart rebuilds, and the tiles on disk always match it.
import { join } from 'node:path';
import { encodeHex } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { leafHash, signCheckpoint } from '@sigil/merkle';
import { replayEntries } from '../rekor-server/entries-replay.js';
import { RekorServiceError } from '../rekor-server/errors.js';
import { startLogWorker } from '../rekor-server/log-worker.js';
import type { LogKeyV2 } from './log-key.js';
import { TileDirectory } from './tile-directory.js';
import { TILE_WIDTH } from './tile-paths.js';

export const ENTRIES_FILE = 'entries.log';
export const TILES_DIR = 'tiles';
const NO_SET_PAYLOAD = new Uint8Array(0);

/** A published checkpoint: what an append is answered against. */
export interface PublishedHead {
  treeSize: bigint;
  rootHash: Uint8Array;
  checkpoint: string;
}

export type AppendOutcome = { outcome: 'logged'; logIndex: number; head: PublishedHead } | { outcome: 'duplicate'; logIndex: number };

export interface TileLog {
  /** Entries in the published checkpoint. */
  readonly size: number;
  append(body: Uint8Array): Promise<AppendOutcome>;
  head(): PublishedHead;
  inclusionProof(logIndex: number, treeSize: bigint): Uint8Array[];
  consistencyProof(first: bigint, second: bigint): Uint8Array[];
  readonly tileDir: string;
  close(): Promise<void>;
}

export interface OpenedTileLog {
  log: TileLog;
  droppedBytes: number;
}

export async function openTileLog({ dir, key }: { dir: string; key: LogKeyV2 }): Promise<OpenedTileLog> {
  const path = join(dir, ENTRIES_FILE);
  const { file, droppedBytes, hashes, tree, indexByLeaf, offsets, sizes } = await replayEntries(path);
  const tiles = new TileDirectory(join(dir, TILES_DIR));
  // Bodies of the entry bundle still being filled (and any completed since the last publication).
  let bodiesStart = Math.floor(offsets.length / TILE_WIDTH) * TILE_WIDTH;
  let bodies: Uint8Array[] = [];
  for (let i = bodiesStart; i < offsets.length; i++) bodies.push(new Uint8Array(file.read(offsets[i]!, sizes[i]!).body));
  const bodyAt = (index: number) => (index >= bodiesStart ? bodies[index - bodiesStart]! : file.read(offsets[index]!, sizes[index]!).body);

  const sign = (treeSize: bigint): PublishedHead => {
    const rootHash = tree.rootHash(treeSize);
    return { treeSize, rootHash, checkpoint: signCheckpoint({ origin: key.origin, treeSize, rootHash }, [key.noteSigner]) };
  };
  // A restart repairs the directory: tiles a crash kept from being written, then the checkpoint.
  tiles.grow(0, offsets.length, hashes, bodyAt, true);
  let published = sign(BigInt(offsets.length));
  tiles.publishCheckpoint(published.checkpoint);

  let closed = false;
  const inFlight = new Map<string, Promise<number>>();
  const arrived = new Map<number, () => void>();
  const waiting: { resolve: (head: PublishedHead) => void; reject: (err: Error) => void }[] = [];
  let publishing = false;
  // A tile directory that cannot be written stops the log: nothing more is answered.
  let failure: RekorServiceError | undefined;
  const worker = startLogWorker({ path, offset: file.end, nextIndex: offsets.length });

  // Everything that became durable since the last publication joins one new checkpoint.
  const publish = () => {
    publishing = false;
    const size = offsets.length;
    if (BigInt(size) === published.treeSize || failure) return;
    try {
      tiles.grow(Number(published.treeSize), size, hashes, bodyAt);
      const head = sign(BigInt(size));
      tiles.publishCheckpoint(head.checkpoint);
      published = head;
    } catch (err) {
      // The entries are durable and a restart publishes them; none of them is acknowledged now.
      failure = new RekorServiceError('STACK_REKOR_STORAGE_FAILED', `publishing tiles and checkpoint for size ${size}: ${describeError(err)}`, { cause: err });
      for (const { reject } of waiting.splice(0, waiting.length)) reject(failure);
      return;
    }
    const keep = Math.floor(size / TILE_WIDTH) * TILE_WIDTH;
    if (keep > bodiesStart) {
      bodies = bodies.slice(keep - bodiesStart);
      bodiesStart = keep;
    }
    const ready = waiting.splice(0, waiting.length);
    for (const { resolve } of ready) resolve(published);
  };

  const applyInOrder = () => {
    for (let apply = arrived.get(offsets.length); apply; apply = arrived.get(offsets.length)) {
      arrived.delete(offsets.length);
      apply();
    }
    if (!publishing && BigInt(offsets.length) > published.treeSize) {
      publishing = true;
      setImmediate(publish);
    }
  };

  const log = async (body: Uint8Array, leaf: Uint8Array, leafHex: string): Promise<{ logIndex: number; head: PublishedHead }> => {
    const { logIndex, offset, size } = await worker.append({ body, integratedTime: 0n, payloadPrefix: NO_SET_PAYLOAD });
    const head = await new Promise<PublishedHead>((resolve, reject) => {
      arrived.set(logIndex, () => {
        tree.appendLeafHash(leaf);
        indexByLeaf.set(leafHex, logIndex);
        offsets.push(offset);
        sizes.push(size);
        bodies.push(body);
        if (failure) reject(failure);
        else waiting.push({ resolve, reject });
      });
      applyInOrder();
    });
    return { logIndex, head };
  };

  const tileLog: TileLog = {
    get size() {
      return Number(published.treeSize);
    },
    tileDir: tiles.dir,
    async append(body) {
      if (closed) throw new RekorServiceError('STACK_REKOR_CLOSED', 'the log is closed');
      if (failure) throw failure;
      const leaf = leafHash(body);
      const leafHex = encodeHex(leaf);
      const existing = indexByLeaf.get(leafHex);
      if (existing !== undefined) return { outcome: 'duplicate', logIndex: existing };
      const first = inFlight.get(leafHex);
      if (first) return { outcome: 'duplicate', logIndex: await first };
      const logged = log(body, leaf, leafHex);
      const index = logged.then((r) => r.logIndex);
      index.catch(() => {}); // the caller gets the failure through `logged`
      inFlight.set(leafHex, index);
      try {
        const { logIndex, head } = await logged;
        return { outcome: 'logged', logIndex, head };
      } finally {
        inFlight.delete(leafHex);
      }
    },
    head: () => published,
    inclusionProof: (logIndex, treeSize) => tree.inclusionProof(BigInt(logIndex), treeSize),
    consistencyProof: (first, second) => tree.consistencyProof(first, second),
    async close() {
      if (closed) return;
      closed = true;
      await worker.close();
      await file.close();
    },
  };
  return { log: tileLog, droppedBytes };
}
