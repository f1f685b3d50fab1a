import { bytesEqual, encodeHex } from '@sigil/encoding';
import { bitLength, checkHash, checkObject, checkProof, checkUint64, popCount } from './checks.js';
import { MerkleError } from './errors.js';
import { nodeHash } from './hashes.js';

export interface ConsistencyProofCheck {
  size1: bigint;
  size2: bigint;
  root1: Uint8Array;
  root2: Uint8Array;
  proof: Uint8Array[];
}

/**
 * Throws MerkleError unless the tree of size2 with root2 extends the tree of size1 with
 * root1 (RFC 9162 section 2.1.4.2). size1 = 0 is refused: every tree extends the empty
 * one, so such a "proof" proves nothing and only hides a caller's mistake.
 */
export function verifyConsistencyProof(input: ConsistencyProofCheck): void {
  const fields = checkObject(input, 'consistency proof');
  const size1 = checkUint64(fields.size1, 'consistency proof size1');
  const size2 = checkUint64(fields.size2, 'consistency proof size2');
  const root1 = checkHash(fields.root1, 'consistency proof root1');
  const root2 = checkHash(fields.root2, 'consistency proof root2');
  const proof = checkProof(fields.proof, 'consistency proof hashes');

  if (size1 === 0n || size1 > size2) {
    throw new MerkleError('MERKLE_TREE_SIZE_INVALID', `consistency proof: expected 0 < size1 <= size2, found size1 ${size1} and size2 ${size2}`, {
      details: { size1: size1.toString(), size2: size2.toString() },
    });
  }
  if (size1 === size2) {
    expectLength(proof, 0, size1, size2);
    expectRoot('root2', root1, root2);
    return;
  }

  // The proof starts from the largest complete subtree at the right edge of tree 1 (the
  // "seed", at `level`); when tree 1 is itself complete the seed is root1 and is left out.
  const level = BigInt(trailingZeros(size1));
  const index = (size1 - 1n) >> level;
  const lastIndex = (size2 - 1n) >> level;
  const seedGiven = index !== 0n;
  const inner = bitLength(index ^ lastIndex);
  const border = popCount(index >> BigInt(inner));
  expectLength(proof, (seedGiven ? 1 : 0) + inner + border, size1, size2);

  const path = seedGiven ? proof.slice(1) : proof;
  const seed = seedGiven ? proof[0]! : root1;
  let hash1 = seed;
  let hash2 = seed;
  path.forEach((sibling, i) => {
    if (i >= inner || ((index >> BigInt(i)) & 1n) === 1n) {
      // A left sibling lies inside tree 1 as well.
      hash1 = nodeHash(sibling, hash1);
      hash2 = nodeHash(sibling, hash2);
    } else {
      // A right sibling holds only leaves added after size1.
      hash2 = nodeHash(hash2, sibling);
    }
  });
  expectRoot('root1', root1, hash1);
  expectRoot('root2', root2, hash2);
}

function expectLength(proof: Uint8Array[], expected: number, size1: bigint, size2: bigint): void {
  if (proof.length !== expected) {
    throw new MerkleError(
      'MERKLE_PROOF_LENGTH_INVALID',
      `consistency proof: expected ${expected} hashes from size ${size1} to size ${size2}, found ${proof.length}`,
      { details: { expected, actual: proof.length } },
    );
  }
}

function expectRoot(which: 'root1' | 'root2', expected: Uint8Array, computed: Uint8Array): void {
  if (!bytesEqual(expected, computed)) {
    throw new MerkleError('MERKLE_ROOT_MISMATCH', `consistency proof: expected ${which} ${encodeHex(expected)}, the proof leads to ${encodeHex(computed)}`, {
      details: { which, expected: encodeHex(expected), actual: encodeHex(computed) },
    });
  }
}

function trailingZeros(n: bigint): number {
  let count = 0;
  while ((n & 1n) === 0n) {
    n >>= 1n;
    count++;
  }
  return count;
}
