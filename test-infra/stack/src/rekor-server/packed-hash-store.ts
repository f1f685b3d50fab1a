import { hash } from 'node:crypto';
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

  /** Bulk loading: the next leaf hash, its parents left for completeParents(). */
  putLeaf(leaf: Uint8Array): void {
    this.put(0, BigInt(this.levels[0]?.count ?? 0), leaf);
  }

  /**
   * Computes every complete subtree above the leaves loaded with putLeaf, as MerkleTree's
   * appends would have (RFC 6962 node = H(0x01 || left || right)), level by level.
   */
  completeParents(): void {
    const node = Buffer.alloc(1 + 2 * HASH_SIZE, 1);
    for (let level = 0; (this.levels[level]?.count ?? 0) >= 2; level++) {
      const below = this.levels[level]!;
      const parents = Math.floor(below.count / 2);
      for (let i = this.levels[level + 1]?.count ?? 0; i < parents; i++) {
        below.bytes.copy(node, 1, 2 * i * HASH_SIZE, (2 * i + 2) * HASH_SIZE);
        this.put(level + 1, BigInt(i), hash('sha256', node, 'buffer'));
      }
    }
  }

  /** How many leaves the store holds. */
  get leafCount(): number {
    return this.levels[0]?.count ?? 0;
  }
}
