import { sha256 } from '@sigil/crypto';
import { bitLength, checkHash, checkUint64, MAX_TREE_SIZE } from './checks.js';
import { MerkleError } from './errors.js';
import { HASH_SIZE, leafHash, nodeHash } from './hashes.js';
import { MemoryHashStore, type HashStore } from './hash-store.js';

/**
 * An append-only RFC 6962 tree. It stores the hash of every complete subtree, so a root,
 * an inclusion proof or a consistency proof for any earlier size costs O(log n) hashes.
 */
export class MerkleTree {
  private readonly store: HashStore;
  private treeSize: bigint;

  /**
   * @param store where the subtree hashes live (in memory by default)
   * @param size how many leaves `store` already holds, when reopening a durable store
   */
  constructor(store: HashStore = new MemoryHashStore(), size = 0n) {
    this.store = store;
    this.treeSize = checkUint64(size, 'tree size');
    if (size > 0n) this.stored(0, size - 1n);
  }

  get size(): bigint {
    return this.treeSize;
  }

  /** Appends an entry (hashed as a leaf) and returns its index. */
  append(entry: Uint8Array): bigint {
    if (!(entry instanceof Uint8Array)) {
      throw new MerkleError('MERKLE_INPUT_INVALID', 'append: expected the entry as a Uint8Array');
    }
    return this.appendLeafHash(leafHash(entry));
  }

  /** Appends a leaf whose RFC 6962 leaf hash the caller already computed. */
  appendLeafHash(hash: Uint8Array): bigint {
    checkHash(hash, 'leaf hash');
    if (this.treeSize === MAX_TREE_SIZE) {
      throw new MerkleError('MERKLE_TREE_SIZE_INVALID', 'append: the tree already holds 2^64-1 leaves');
    }
    const index = this.treeSize;
    this.store.put(0, index, hash.slice());
    // Each trailing 1 bit of the new index closes one more complete subtree.
    let level = 0;
    let node = index;
    let current = hash;
    while ((node & 1n) === 1n) {
      current = nodeHash(this.stored(level, node - 1n), current);
      level++;
      node >>= 1n;
      this.store.put(level, node, current);
    }
    this.treeSize = index + 1n;
    return index;
  }

  /** The root of the first `size` leaves (the whole tree by default). */
  rootHash(size: bigint = this.treeSize): Uint8Array {
    this.checkSize(size, 'rootHash size');
    return size === 0n ? sha256() : this.subtreeHash(0n, size);
  }

  /** Sibling hashes from leaf `index` to the root of the first `size` leaves (RFC 6962 PATH). */
  inclusionProof(index: bigint, size: bigint = this.treeSize): Uint8Array[] {
    this.checkSize(size, 'inclusionProof size');
    checkUint64(index, 'inclusionProof index');
    if (index >= size) {
      throw new MerkleError('MERKLE_INDEX_OUT_OF_RANGE', `inclusionProof: expected a leaf index below ${size}, found ${index}`, {
        details: { index: index.toString(), treeSize: size.toString() },
      });
    }
    const path: Uint8Array[] = [];
    let start = 0n;
    let width = size;
    let offset = index;
    // Walk down from the root; siblings are collected root-first, then reversed.
    while (width > 1n) {
      const k = largestPowerOfTwoBelow(width);
      if (offset < k) {
        path.push(this.subtreeHash(start + k, width - k));
        width = k;
      } else {
        path.push(this.subtreeHash(start, k));
        start += k;
        offset -= k;
        width -= k;
      }
    }
    return path.reverse();
  }

  /** Hashes proving that the first `size2` leaves extend the first `size1` (RFC 6962 PROOF). */
  consistencyProof(size1: bigint, size2: bigint = this.treeSize): Uint8Array[] {
    this.checkSize(size2, 'consistencyProof size2');
    checkUint64(size1, 'consistencyProof size1');
    if (size1 === 0n || size1 > size2) {
      throw new MerkleError('MERKLE_TREE_SIZE_INVALID', `consistencyProof: expected 0 < size1 <= size2, found size1 ${size1} and size2 ${size2}`, {
        details: { size1: size1.toString(), size2: size2.toString() },
      });
    }
    const proof: Uint8Array[] = [];
    let start = 0n;
    let width = size2;
    let m = size1;
    let wholeTreeOne = true;
    while (m !== width) {
      const k = largestPowerOfTwoBelow(width);
      if (m <= k) {
        proof.push(this.subtreeHash(start + k, width - k));
        width = k;
      } else {
        proof.push(this.subtreeHash(start, k));
        start += k;
        m -= k;
        width -= k;
        wholeTreeOne = false;
      }
    }
    // SUBPROOF(m, D[m], b): the subtree equal to tree 1 is its root, already known to the verifier.
    if (!wholeTreeOne) proof.push(this.subtreeHash(start, width));
    return proof.reverse();
  }

  /** MTH of leaves [start, start + width), start being a multiple of the largest power of two <= width. */
  private subtreeHash(start: bigint, width: bigint): Uint8Array {
    if ((width & (width - 1n)) === 0n) {
      const level = bitLength(width) - 1;
      return this.stored(level, start >> BigInt(level));
    }
    const k = largestPowerOfTwoBelow(width);
    return nodeHash(this.subtreeHash(start, k), this.subtreeHash(start + k, width - k));
  }

  private stored(level: number, index: bigint): Uint8Array {
    const hash = this.store.get(level, index);
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
      throw new MerkleError('MERKLE_STORE_INCOMPLETE', `hash store: expected the hash of node (${level}, ${index}), found ${hash === undefined ? 'none' : 'a malformed value'}`, {
        details: { level, index: index.toString() },
      });
    }
    return hash;
  }

  private checkSize(size: bigint, what: string): void {
    checkUint64(size, what);
    if (size > this.treeSize) {
      throw new MerkleError('MERKLE_TREE_SIZE_INVALID', `${what}: expected at most the tree size ${this.treeSize}, found ${size}`, {
        details: { expected: this.treeSize.toString(), actual: size.toString() },
      });
    }
  }
}

/** The largest power of two strictly below n (n >= 2). */
function largestPowerOfTwoBelow(n: bigint): bigint {
  return 1n << BigInt(bitLength(n - 1n) - 1);
}
