/**
 * Where a MerkleTree keeps the hashes of its complete subtrees. The node at (level, index)
 * covers leaves [index * 2^level, (index + 1) * 2^level): level 0 holds the leaf hashes.
 * Only complete subtrees are ever stored, so a stored hash never changes: a durable
 * store can append and never rewrite.
 */
export interface HashStore {
  get(level: number, index: bigint): Uint8Array | undefined;
  put(level: number, index: bigint, hash: Uint8Array): void;
}

/** A HashStore in memory: one array of hashes per level. */
export class MemoryHashStore implements HashStore {
  private readonly levels: Uint8Array[][] = [];

  get(level: number, index: bigint): Uint8Array | undefined {
    return this.levels[level]?.[Number(index)];
  }

  put(level: number, index: bigint, hash: Uint8Array): void {
    (this.levels[level] ??= [])[Number(index)] = hash;
  }
}
