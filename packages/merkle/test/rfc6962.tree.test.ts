import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, leafHash, MemoryHashStore, MerkleTree, nodeHash, type HashStore } from '../src/index.js';
import { expectMerkleError } from './expect-error.js';
import { hex, makeEntries, readJsonFixture, toHex } from './fixtures.js';

interface Vectors {
  leaves: string[];
  roots: string[];
  inclusionProofs: { leafIndex: number; treeSize: number; path: string[] }[];
  consistencyProofs: { size1: number; size2: number; path: string[] }[];
}
const vectors = readJsonFixture<Vectors>('vectors/rfc6962/vectors.json');

function vectorTree(): MerkleTree {
  const tree = new MerkleTree();
  for (const leaf of vectors.leaves) tree.append(hex(leaf));
  return tree;
}

describe('RFC 6962 hashes', () => {
  it('hashes the empty tree as SHA-256 of nothing', () => {
    expect(toHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(new MerkleTree().rootHash())).toBe(toHex(EMPTY_ROOT));
  });

  it('prefixes leaves with 0x00 and nodes with 0x01', () => {
    // RFC 6962 test tree: the leaf hash of the empty entry.
    expect(toHex(leafHash(new Uint8Array()))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    const a = leafHash(hex('00'));
    const b = leafHash(hex('10'));
    expect(toHex(nodeHash(a, b))).not.toBe(toHex(nodeHash(b, a)));
  });
});

describe('MerkleTree against the RFC 6962 vectors', () => {
  it('reproduces the root of every prefix of the test leaves', () => {
    const tree = vectorTree();
    vectors.roots.forEach((root, i) => expect(toHex(tree.rootHash(BigInt(i + 1)))).toBe(root));
    expect(toHex(tree.rootHash())).toBe(vectors.roots.at(-1));
  });

  it('generates the vectors inclusion proofs', () => {
    const tree = vectorTree();
    for (const { leafIndex, treeSize, path } of vectors.inclusionProofs) {
      expect(tree.inclusionProof(BigInt(leafIndex), BigInt(treeSize)).map(toHex)).toEqual(path);
    }
  });

  it('generates the vectors consistency proofs', () => {
    const tree = vectorTree();
    for (const { size1, size2, path } of vectors.consistencyProofs) {
      expect(tree.consistencyProof(BigInt(size1), BigInt(size2)).map(toHex)).toEqual(path);
    }
  });
});

describe('MerkleTree', () => {
  it('returns the index of each appended leaf and counts its size', () => {
    const tree = new MerkleTree();
    expect(tree.size).toBe(0n);
    expect(tree.append(hex('01'))).toBe(0n);
    expect(tree.appendLeafHash(leafHash(hex('02')))).toBe(1n);
    expect(tree.size).toBe(2n);
    expect(toHex(tree.rootHash())).toBe(toHex(nodeHash(leafHash(hex('01')), leafHash(hex('02')))));
  });

  it('matches a naive MTH for every size up to 70', () => {
    const entries = makeEntries(70);
    const tree = new MerkleTree();
    entries.forEach((entry) => tree.append(entry));
    for (let n = 1; n <= entries.length; n++) {
      expect(toHex(tree.rootHash(BigInt(n)))).toBe(toHex(naiveRoot(entries.slice(0, n).map(leafHash))));
    }
  });

  it('reopens a store it filled earlier', () => {
    const store = new MemoryHashStore();
    const first = new MerkleTree(store);
    makeEntries(11).forEach((entry) => first.append(entry));
    const reopened = new MerkleTree(store, 11n);
    expect(toHex(reopened.rootHash())).toBe(toHex(first.rootHash()));
    expect(reopened.inclusionProof(3n).map(toHex)).toEqual(first.inclusionProof(3n).map(toHex));
  });

  it('stores only complete subtrees, and never rewrites one', () => {
    const writes = new Map<string, number>();
    const inner = new MemoryHashStore();
    const counting: HashStore = {
      get: (level, index) => inner.get(level, index),
      put: (level, index, hash) => {
        const key = `${level}/${index}`;
        writes.set(key, (writes.get(key) ?? 0) + 1);
        inner.put(level, index, hash);
      },
    };
    const tree = new MerkleTree(counting);
    makeEntries(13).forEach((entry) => tree.append(entry));
    // 13 leaves + 6 at level 1 + 3 at level 2 + 1 at level 3.
    expect(writes.size).toBe(23);
    expect([...writes.values()].every((count) => count === 1)).toBe(true);
  });

  it('reads O(log n) hashes for a proof in a large tree', () => {
    const inner = new MemoryHashStore();
    let reads = 0;
    const counting: HashStore = { get: (l, i) => (reads++, inner.get(l, i)), put: (l, i, h) => inner.put(l, i, h) };
    const tree = new MerkleTree(counting);
    const n = 40_003;
    for (let i = 0; i < n; i++) tree.appendLeafHash(leafHash(Uint8Array.of(i & 255, i >> 8, i >> 16)));
    reads = 0;
    tree.inclusionProof(12_345n);
    tree.consistencyProof(24_321n);
    tree.rootHash();
    expect(reads).toBeLessThan(3 * 2 * 17);
  });

  it('refuses sizes beyond the tree, indices outside it and bad arguments', () => {
    const tree = new MerkleTree();
    makeEntries(5).forEach((entry) => tree.append(entry));
    expectMerkleError(() => tree.rootHash(6n), 'MERKLE_TREE_SIZE_INVALID');
    expectMerkleError(() => tree.rootHash(-1n), 'MERKLE_TREE_SIZE_INVALID');
    expectMerkleError(() => tree.rootHash(3 as unknown as bigint), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => tree.inclusionProof(5n), 'MERKLE_INDEX_OUT_OF_RANGE');
    expectMerkleError(() => tree.inclusionProof(0n, 0n), 'MERKLE_INDEX_OUT_OF_RANGE');
    expectMerkleError(() => tree.inclusionProof(0n, 9n), 'MERKLE_TREE_SIZE_INVALID');
    expectMerkleError(() => tree.consistencyProof(0n), 'MERKLE_TREE_SIZE_INVALID');
    expectMerkleError(() => tree.consistencyProof(4n, 3n), 'MERKLE_TREE_SIZE_INVALID');
    expectMerkleError(() => tree.append('text' as unknown as Uint8Array), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => tree.appendLeafHash(new Uint8Array(31)), 'MERKLE_HASH_SIZE_INVALID');
  });

  it('reports a store that lacks hashes it should hold', () => {
    expectMerkleError(() => new MerkleTree(new MemoryHashStore(), 4n), 'MERKLE_STORE_INCOMPLETE');
    const store = new MemoryHashStore();
    const tree = new MerkleTree(store);
    makeEntries(4).forEach((entry) => tree.append(entry));
    store.put(2, 0n, new Uint8Array(3));
    expectMerkleError(() => tree.rootHash(), 'MERKLE_STORE_INCOMPLETE');
  });

  it('refuses to grow past 2^64-1 leaves', () => {
    const store: HashStore = { get: () => new Uint8Array(32), put: () => {} };
    const full = new MerkleTree(store, (1n << 64n) - 1n);
    expectMerkleError(() => full.append(hex('00')), 'MERKLE_TREE_SIZE_INVALID');
  });
});

function naiveRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}
