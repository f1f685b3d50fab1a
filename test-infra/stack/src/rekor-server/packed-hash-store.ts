import { HASH_SIZE, type HashStore } from '@sigil/merkle';
import { RekorServiceError } from './errors.js';

/**
 * A HashStore with one growing buffer per tree level: 32 bytes a node and no object per hash,
 * so a million-leaf tree costs about 64 MB and rebuilds without garbage. MerkleTree only adds
 * the next node of a level, so each level is written strictly in order.
 */
export class PackedHashStore implements HashStore {
  private readonly levels: { bytes: Buffer; count: number }[] = [];

  get(level: number, index: bigint): Uint8Array | undefined {
    const stored = this.levels[level];
    const i = Number(index);
    if (!stored || i >= stored.count) return undefined;
    return stored.bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }

  put(level: number, index: bigint, hash: Uint8Array): void {
    const stored = (this.levels[level] ??= { bytes: Buffer.allocUnsafe(HASH_SIZE * 1024), count: 0 });
    const i = Number(index);
    if (i !== stored.count) throw new RekorServiceError('STACK_REKOR_STORAGE_FAILED', `hash store: level ${level} expected node ${stored.count}, given ${i}`);
    if ((i + 1) * HASH_SIZE > stored.bytes.length) {
      // Old views stay valid: hashes never change, the old buffer simply stops growing.
      const grown = Buffer.allocUnsafe(stored.bytes.length * 2);
      stored.bytes.copy(grown, 0, 0, i * HASH_SIZE);
      stored.bytes = grown;
    }
    stored.bytes.set(hash, i * HASH_SIZE);
    stored.count = i + 1;
  }
}
