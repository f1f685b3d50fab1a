// What a start rebuilds from the entries file, for both logs (v1 and v2): the tree, the index of
// each leaf hash, and where each record is. A record out of order or repeating an earlier body
// is refused: the file is damaged, and serving it would point a body at another index.
import { encodeHex } from '@sigil/encoding';
import { leafHash, MerkleTree } from '@sigil/merkle';
import { openEntriesFile, type EntriesFile } from './entries-file.js';
import { RekorServiceError } from './errors.js';
import { PackedHashStore } from './packed-hash-store.js';

export interface ReplayedEntries {
  file: EntriesFile;
  /** Bytes of an unacknowledged torn tail dropped at open. */
  droppedBytes: number;
  hashes: PackedHashStore;
  tree: MerkleTree;
  /** Log index by leaf hash (64 lowercase hex). */
  indexByLeaf: Map<string, number>;
  /** Offset and size of each record, by log index. */
  offsets: number[];
  sizes: number[];
}

export async function replayEntries(path: string): Promise<ReplayedEntries> {
  const hashes = new PackedHashStore();
  const indexByLeaf = new Map<string, number>();
  const offsets: number[] = [];
  const sizes: number[] = [];
  const { file, droppedBytes } = await openEntriesFile(path, (record, offset, size) => {
    const expected = offsets.length;
    if (record.logIndex !== BigInt(expected)) {
      throw new RekorServiceError('STACK_REKOR_STORAGE_CORRUPT', `${path}: expected entry ${expected} at offset ${offset}, found entry ${record.logIndex}`);
    }
    const leaf = leafHash(record.body);
    const leafHex = encodeHex(leaf);
    const earlier = indexByLeaf.get(leafHex);
    if (earlier !== undefined) {
      throw new RekorServiceError('STACK_REKOR_STORAGE_CORRUPT', `${path}: entry ${expected} repeats the body of entry ${earlier}`);
    }
    hashes.putLeaf(leaf);
    indexByLeaf.set(leafHex, expected);
    offsets.push(offset);
    sizes.push(size);
  });
  // The leaves are read; their parents are hashed in one pass rather than append by append.
  hashes.completeParents();
  return { file, droppedBytes, hashes, tree: new MerkleTree(hashes, BigInt(hashes.leafCount)), indexByLeaf, offsets, sizes };
}
