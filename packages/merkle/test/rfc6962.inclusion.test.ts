import { describe, expect, it } from 'vitest';
import { leafHash, MerkleError, MerkleTree, rootFromInclusionProof, verifyInclusionProof } from '../src/index.js';
import { expectMerkleError } from './expect-error.js';
import { b64, flipBit, hex, jsonFilesBelow, makeEntries, readJsonFixture, seededRandom, toHex } from './fixtures.js';

const vectors = readJsonFixture('vectors/rfc6962/vectors.json');

describe('RFC 9162 inclusion proof verification: RFC 6962 vectors', () => {
  for (const { leafIndex, treeSize, path } of vectors.inclusionProofs) {
    it(`verifies leaf ${leafIndex} in a tree of ${treeSize}`, () => {
      const input = {
        leafHash: leafHash(hex(vectors.leaves[leafIndex])),
        index: BigInt(leafIndex),
        treeSize: BigInt(treeSize),
        proof: path.map(hex),
        rootHash: hex(vectors.roots[treeSize - 1]),
      };
      verifyInclusionProof(input);
      expect(toHex(rootFromInclusionProof(input))).toBe(vectors.roots[treeSize - 1]);
    });
  }
});

describe('RFC 9162 inclusion proof verification: transparency-dev probes', () => {
  const probes = jsonFilesBelow('vectors/rfc6962/probes/inclusion');
  it('has probes to run', () => expect(probes.length).toBeGreaterThan(50));
  for (const [path, probe] of probes) {
    it(`${probe.wantErr ? 'rejects' : 'accepts'} ${path} (${probe.desc})`, () => {
      const run = () =>
        verifyInclusionProof({
          leafHash: b64(probe.leafHash),
          index: BigInt(probe.leafIdx),
          treeSize: BigInt(probe.treeSize),
          proof: (probe.proof ?? []).map(b64),
          rootHash: b64(probe.root),
        });
      if (probe.wantErr) expect(run).toThrow(MerkleError);
      else run();
    });
  }
});

describe('RFC 9162 inclusion proof verification: error codes', () => {
  const entries = makeEntries(11);
  const tree = new MerkleTree();
  entries.forEach((entry) => tree.append(entry));
  const valid = () => ({
    leafHash: leafHash(entries[6]!),
    index: 6n,
    treeSize: 11n,
    proof: tree.inclusionProof(6n),
    rootHash: tree.rootHash(),
  });

  it('accepts the valid proof', () => verifyInclusionProof(valid()));
  it('rejects an index at or past the tree size', () => {
    expectMerkleError(() => verifyInclusionProof({ ...valid(), index: 11n }), 'MERKLE_INDEX_OUT_OF_RANGE');
    expectMerkleError(() => verifyInclusionProof({ ...valid(), treeSize: 0n, index: 0n }), 'MERKLE_INDEX_OUT_OF_RANGE');
  });
  it('rejects negative or over-large sizes', () => {
    expectMerkleError(() => verifyInclusionProof({ ...valid(), index: -1n }), 'MERKLE_TREE_SIZE_INVALID');
    expectMerkleError(() => verifyInclusionProof({ ...valid(), treeSize: 1n << 64n }), 'MERKLE_TREE_SIZE_INVALID');
  });
  it('rejects a proof one hash too short or too long', () => {
    expectMerkleError(() => verifyInclusionProof({ ...valid(), proof: valid().proof.slice(1) }), 'MERKLE_PROOF_LENGTH_INVALID');
    expectMerkleError(() => verifyInclusionProof({ ...valid(), proof: [...valid().proof, tree.rootHash()] }), 'MERKLE_PROOF_LENGTH_INVALID');
    expectMerkleError(() => verifyInclusionProof({ ...valid(), proof: Array(66).fill(tree.rootHash()) }), 'MERKLE_PROOF_LENGTH_INVALID');
  });
  it('rejects a wrong root', () => {
    expectMerkleError(() => verifyInclusionProof({ ...valid(), rootHash: tree.rootHash(10n) }), 'MERKLE_ROOT_MISMATCH');
  });
  it('rejects hashes of the wrong size', () => {
    expectMerkleError(() => verifyInclusionProof({ ...valid(), leafHash: entries[6]! }), 'MERKLE_HASH_SIZE_INVALID');
    expectMerkleError(() => verifyInclusionProof({ ...valid(), rootHash: new Uint8Array(0) }), 'MERKLE_HASH_SIZE_INVALID');
    const proof = valid().proof;
    proof[1] = proof[1]!.subarray(1);
    expectMerkleError(() => verifyInclusionProof({ ...valid(), proof }), 'MERKLE_HASH_SIZE_INVALID');
  });
  it('rejects arguments of the wrong type', () => {
    const bad = (patch: object) => () => verifyInclusionProof({ ...valid(), ...patch } as never);
    expectMerkleError(bad({ index: 6 }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({ treeSize: '11' }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({ proof: 'abc' }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({ proof: [[1, 2]] }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({ proof: new Array(4) }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({ leafHash: undefined }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => verifyInclusionProof(null as never), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => rootFromInclusionProof(undefined as never), 'MERKLE_INPUT_INVALID');
  });
});

describe('RFC 9162 inclusion proofs: property test over random trees', () => {
  // A fixed seed keeps failures reproducible.
  const random = seededRandom(6962);
  const entries = makeEntries(300);
  const tree = new MerkleTree();
  entries.forEach((entry) => tree.append(entry));

  it('verifies every generated proof and rejects every tampered one', () => {
    let checked = 0;
    for (let round = 0; round < 40; round++) {
      const size = BigInt(1 + Math.floor(random() * 300));
      const rootHash = tree.rootHash(size);
      for (let i = 0n; i < size; i++) {
        const proof = tree.inclusionProof(i, size);
        const input = { leafHash: leafHash(entries[Number(i)]!), index: i, treeSize: size, proof, rootHash };
        verifyInclusionProof(input);
        checked++;
        if (i % 7n !== 0n) continue;
        // Any flipped byte, in the leaf, the root or any proof hash, must fail.
        expect(() => verifyInclusionProof({ ...input, leafHash: flipBit(input.leafHash, Math.floor(random() * 32)) })).toThrow(MerkleError);
        expect(() => verifyInclusionProof({ ...input, rootHash: flipBit(rootHash, 31, 7) })).toThrow(MerkleError);
        proof.forEach((_, p) => {
          const tampered = proof.slice();
          tampered[p] = flipBit(tampered[p]!, Math.floor(random() * 32), Math.floor(random() * 8));
          expect(() => verifyInclusionProof({ ...input, proof: tampered })).toThrow(MerkleError);
        });
        // The same proof for any other index fails (by length or by root).
        for (const other of [i - 1n, i + 1n, i ^ 2n, size - 1n - i]) {
          if (other === i || other < 0n || other >= size) continue;
          expect(() => verifyInclusionProof({ ...input, index: other })).toThrow(MerkleError);
        }
        // Swapping in another leaf fails too.
        const otherLeaf = leafHash(entries[Number((i + 1n) % size)]!);
        if (size > 1n) expect(() => verifyInclusionProof({ ...input, leafHash: otherLeaf })).toThrow(MerkleError);
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
