import { describe, expect, it } from 'vitest';
import { MerkleError, MerkleTree, verifyConsistencyProof } from '../src/index.js';
import { expectMerkleError } from './expect-error.js';
import { b64, flipBit, hex, jsonFilesBelow, makeEntries, readJsonFixture, seededRandom } from './fixtures.js';

const vectors = readJsonFixture('vectors/rfc6962/vectors.json');

describe('RFC 9162 consistency proof verification: RFC 6962 vectors', () => {
  for (const { size1, size2, path } of vectors.consistencyProofs) {
    it(`verifies size ${size1} -> ${size2}`, () => {
      verifyConsistencyProof({
        size1: BigInt(size1),
        size2: BigInt(size2),
        root1: hex(vectors.roots[size1 - 1]),
        root2: hex(vectors.roots[size2 - 1]),
        proof: path.map(hex),
      });
    });
  }
});

describe('RFC 9162 consistency proof verification: transparency-dev probes', () => {
  // Sigil is stricter than the probes in one place: roots must be 32-byte hashes even
  // when size1 = size2 and no hashing happens.
  const STRICTER = new Set(['additional/sizes-are-equal-one-and-proof-is-empty.json']);
  const probes = jsonFilesBelow('vectors/rfc6962/probes/consistency');
  it('has probes to run', () => expect(probes.length).toBeGreaterThan(50));
  for (const [path, probe] of probes) {
    const wantErr = probe.wantErr || STRICTER.has(path);
    it(`${wantErr ? 'rejects' : 'accepts'} ${path} (${probe.desc})`, () => {
      const run = () =>
        verifyConsistencyProof({
          size1: BigInt(probe.size1),
          size2: BigInt(probe.size2),
          root1: b64(probe.root1),
          root2: b64(probe.root2),
          proof: (probe.proof ?? []).map(b64),
        });
      if (!wantErr) return run();
      const err = expectThrown(run);
      if (STRICTER.has(path)) expect(err.code).toBe('MERKLE_HASH_SIZE_INVALID');
    });
  }
});

describe('RFC 9162 consistency proof verification: error codes', () => {
  const tree = new MerkleTree();
  makeEntries(13).forEach((entry) => tree.append(entry));
  const valid = () => ({ size1: 6n, size2: 13n, root1: tree.rootHash(6n), root2: tree.rootHash(13n), proof: tree.consistencyProof(6n, 13n) });

  it('accepts the valid proof, and equal sizes with an empty proof', () => {
    verifyConsistencyProof(valid());
    verifyConsistencyProof({ size1: 13n, size2: 13n, root1: tree.rootHash(), root2: tree.rootHash(), proof: [] });
  });
  it('rejects size1 = 0 and size1 > size2', () => {
    expectMerkleError(() => verifyConsistencyProof({ ...valid(), size1: 0n }), 'MERKLE_TREE_SIZE_INVALID');
    expectMerkleError(() => verifyConsistencyProof({ ...valid(), size1: 0n, size2: 0n, proof: [] }), 'MERKLE_TREE_SIZE_INVALID');
    expectMerkleError(() => verifyConsistencyProof({ ...valid(), size1: 14n }), 'MERKLE_TREE_SIZE_INVALID');
    expectMerkleError(() => verifyConsistencyProof({ ...valid(), size2: 1n << 64n }), 'MERKLE_TREE_SIZE_INVALID');
  });
  it('rejects a proof of the wrong length', () => {
    expectMerkleError(() => verifyConsistencyProof({ ...valid(), proof: [] }), 'MERKLE_PROOF_LENGTH_INVALID');
    expectMerkleError(() => verifyConsistencyProof({ ...valid(), proof: valid().proof.slice(1) }), 'MERKLE_PROOF_LENGTH_INVALID');
    expectMerkleError(() => verifyConsistencyProof({ ...valid(), size1: 13n, root1: tree.rootHash() }), 'MERKLE_PROOF_LENGTH_INVALID');
  });
  it('rejects wrong roots, naming which one', () => {
    const first = expectMerkleError(() => verifyConsistencyProof({ ...valid(), root1: tree.rootHash(5n) }), 'MERKLE_ROOT_MISMATCH');
    expect(first.details?.which).toBe('root1');
    const second = expectMerkleError(() => verifyConsistencyProof({ ...valid(), root2: tree.rootHash(12n) }), 'MERKLE_ROOT_MISMATCH');
    expect(second.details?.which).toBe('root2');
    expectMerkleError(() => verifyConsistencyProof({ size1: 3n, size2: 3n, root1: tree.rootHash(3n), root2: tree.rootHash(4n), proof: [] }), 'MERKLE_ROOT_MISMATCH');
  });
  it('rejects bad hashes and arguments', () => {
    expectMerkleError(() => verifyConsistencyProof({ ...valid(), root1: new Uint8Array(33) }), 'MERKLE_HASH_SIZE_INVALID');
    expectMerkleError(() => verifyConsistencyProof({ ...valid(), size1: 6 } as never), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => verifyConsistencyProof({ ...valid(), proof: {} } as never), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => verifyConsistencyProof('proof' as never), 'MERKLE_INPUT_INVALID');
  });
});

describe('RFC 9162 consistency proofs: property test over random trees', () => {
  const random = seededRandom(9162);
  const tree = new MerkleTree();
  makeEntries(300).forEach((entry) => tree.append(entry));

  it('verifies every generated proof and rejects every tampered one', () => {
    let checked = 0;
    for (let round = 0; round < 40; round++) {
      const size2 = BigInt(1 + Math.floor(random() * 300));
      const root2 = tree.rootHash(size2);
      for (let size1 = 1n; size1 <= size2; size1++) {
        const input = { size1, size2, root1: tree.rootHash(size1), root2, proof: tree.consistencyProof(size1, size2) };
        verifyConsistencyProof(input);
        checked++;
        if (size1 % 5n !== 0n) continue;
        expect(() => verifyConsistencyProof({ ...input, root1: flipBit(input.root1, Math.floor(random() * 32)) })).toThrow(MerkleError);
        expect(() => verifyConsistencyProof({ ...input, root2: flipBit(root2, Math.floor(random() * 32)) })).toThrow(MerkleError);
        input.proof.forEach((_, p) => {
          const tampered = input.proof.slice();
          tampered[p] = flipBit(tampered[p]!, Math.floor(random() * 32), Math.floor(random() * 8));
          expect(() => verifyConsistencyProof({ ...input, proof: tampered })).toThrow(MerkleError);
        });
        // The proof with a neighbouring size1 (and its real root) fails.
        for (const other of [size1 - 1n, size1 + 1n]) {
          if (other < 1n || other > size2 || other === size1) continue;
          expect(() => verifyConsistencyProof({ ...input, size1: other, root1: tree.rootHash(other) })).toThrow(MerkleError);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('rejects a tree that rewrote history', () => {
    const forked = new MerkleTree();
    makeEntries(20).forEach((entry, i) => forked.append(i === 3 ? new Uint8Array([9]) : entry));
    const proof = tree.consistencyProof(10n, 20n);
    expect(() => verifyConsistencyProof({ size1: 10n, size2: 20n, root1: tree.rootHash(10n), root2: forked.rootHash(), proof })).toThrow(MerkleError);
  });
});

function expectThrown(fn: () => unknown): MerkleError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MerkleError);
    return err as MerkleError;
  }
  throw new Error('expected a MerkleError, nothing was thrown');
}
