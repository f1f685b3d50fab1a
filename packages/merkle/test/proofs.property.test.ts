// Properties of RFC 6962 proofs over generated trees: every proof the tree makes verifies,
// and any change to a proof, the hashes it joins or the positions it claims makes it fail
// with a typed MerkleError. (Tree size is not changed for inclusion: RFC 9162's algorithm
// binds the proof to its root, not to the size, which the checkpoint signs.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leafHash, MerkleError, MerkleTree, rootFromInclusionProof, verifyConsistencyProof, verifyInclusionProof } from '../src/index.js';

const RUNS = { numRuns: 100, seed: 6962 };

/** A tree of n distinct leaves (entries carry their index, so no two subtrees hash alike). */
function treeOf(n: number, salt: number): MerkleTree {
  const tree = new MerkleTree();
  for (let i = 0; i < n; i++) tree.append(new TextEncoder().encode(`${salt}:${i}`));
  return tree;
}

const leafOf = (salt: number, i: number) => leafHash(new TextEncoder().encode(`${salt}:${i}`));

function flip(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[(bit >> 3) % copy.length]! ^= 1 << (bit & 7);
  return copy;
}

function expectRejected(run: () => unknown): void {
  expect(run).toThrow(MerkleError);
}

/** A tree size, a position in it and a salt for the entries. */
const sized = fc.integer({ min: 1, max: 300 }).chain((n) => fc.record({ n: fc.constant(n), i: fc.integer({ min: 0, max: n - 1 }), salt: fc.nat() }));

type ProofMutation = (proof: Uint8Array[]) => Uint8Array[] | undefined;
const proofMutations = (bit: number, at: number, extra: Uint8Array): ProofMutation[] => [
  (p) => (p.length ? p.map((h, k) => (k === at % p.length ? flip(h, bit) : h)) : undefined),
  (p) => (p.length ? p.slice(0, -1) : undefined),
  (p) => [...p, extra],
  (p) => [extra, ...p],
  (p) => (p.length > 1 ? [...p].reverse() : undefined),
];

describe('inclusion proofs', () => {
  it('every leaf of every tree has a proof that leads to the root', () => {
    fc.assert(
      fc.property(sized, ({ n, i, salt }) => {
        const tree = treeOf(n, salt);
        const input = { leafHash: leafOf(salt, i), index: BigInt(i), treeSize: BigInt(n), proof: tree.inclusionProof(BigInt(i)) };
        expect(rootFromInclusionProof(input)).toEqual(tree.rootHash());
        verifyInclusionProof({ ...input, rootHash: tree.rootHash() });
      }),
      RUNS,
    );
  });

  it('fails for a changed proof, leaf, root or index', () => {
    fc.assert(
      fc.property(sized, fc.nat(255), fc.nat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(), ({ n, i, salt }, bit, at, extra, otherIndex) => {
        const tree = treeOf(n, salt);
        const good = { leafHash: leafOf(salt, i), index: BigInt(i), treeSize: BigInt(n), proof: tree.inclusionProof(BigInt(i)), rootHash: tree.rootHash() };
        for (const mutate of proofMutations(bit, at, extra)) {
          const proof = mutate(good.proof);
          if (proof) expectRejected(() => verifyInclusionProof({ ...good, proof }));
        }
        expectRejected(() => verifyInclusionProof({ ...good, leafHash: flip(good.leafHash, bit) }));
        expectRejected(() => verifyInclusionProof({ ...good, rootHash: flip(good.rootHash, bit) }));
        const j = otherIndex % n;
        if (j !== i) expectRejected(() => verifyInclusionProof({ ...good, index: BigInt(j) }));
        expectRejected(() => verifyInclusionProof({ ...good, index: BigInt(n) }));
      }),
      RUNS,
    );
  });
});

const sizePair = fc.integer({ min: 1, max: 300 }).chain((n) => fc.record({ n: fc.constant(n), m: fc.integer({ min: 1, max: n }), salt: fc.nat() }));

describe('consistency proofs', () => {
  it('every earlier size of every tree has a proof that the tree extends it', () => {
    fc.assert(
      fc.property(sizePair, ({ n, m, salt }) => {
        const tree = treeOf(n, salt);
        verifyConsistencyProof({ size1: BigInt(m), size2: BigInt(n), root1: tree.rootHash(BigInt(m)), root2: tree.rootHash(), proof: tree.consistencyProof(BigInt(m)) });
      }),
      RUNS,
    );
  });

  it('fails for a changed proof, either root or the earlier size', () => {
    fc.assert(
      fc.property(sizePair, fc.nat(255), fc.nat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(), ({ n, m, salt }, bit, at, extra, otherSize) => {
        const tree = treeOf(n, salt);
        const good = { size1: BigInt(m), size2: BigInt(n), root1: tree.rootHash(BigInt(m)), root2: tree.rootHash(), proof: tree.consistencyProof(BigInt(m)) };
        for (const mutate of proofMutations(bit, at, extra)) {
          const proof = mutate(good.proof);
          if (proof) expectRejected(() => verifyConsistencyProof({ ...good, proof }));
        }
        expectRejected(() => verifyConsistencyProof({ ...good, root1: flip(good.root1, bit) }));
        expectRejected(() => verifyConsistencyProof({ ...good, root2: flip(good.root2, bit) }));
        const m2 = 1 + (otherSize % n);
        if (m2 !== m) expectRejected(() => verifyConsistencyProof({ ...good, size1: BigInt(m2) }));
      }),
      RUNS,
    );
  });
});
