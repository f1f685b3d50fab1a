import { bytesEqual, encodeHex } from '@sigil/encoding';
import { bitLength, checkHash, checkObject, checkProof, checkUint64, popCount } from './checks.js';
import { MerkleError } from './errors.js';
import { nodeHash } from './hashes.js';

export interface InclusionProofInput {
  /** RFC 6962 leaf hash of the entry (leafHash(entry)), not the entry itself. */
  leafHash: Uint8Array;
  /** Index of the leaf in the tree the proof was made for (tree-local, not a global log index). */
  index: bigint;
  treeSize: bigint;
  /** Sibling hashes, leaf to root. */
  proof: Uint8Array[];
}

export interface InclusionProofCheck extends InclusionProofInput {
  rootHash: Uint8Array;
}

/**
 * The root hash the proof leads to (RFC 9162 section 2.1.3.2). Throws MerkleError when
 * the index is outside the tree or the proof has the wrong number of hashes for
 * (index, treeSize): a proof of the right length is the only kind worth hashing.
 */
export function rootFromInclusionProof(input: InclusionProofInput): Uint8Array {
  const { leafHash, index, treeSize, proof } = checkInclusionInput(input);
  // The path splits where the leaf's path and the tree's right edge part: below that
  // ("inner") siblings sit left or right by the index bits; above it ("border") every
  // sibling is a complete subtree on the left.
  const inner = bitLength(index ^ (treeSize - 1n));
  const border = popCount(index >> BigInt(inner));
  if (proof.length !== inner + border) {
    throw new MerkleError(
      'MERKLE_PROOF_LENGTH_INVALID',
      `inclusion proof: expected ${inner + border} hashes for leaf ${index} in a tree of ${treeSize}, found ${proof.length}`,
      { details: { expected: inner + border, actual: proof.length } },
    );
  }
  let hash = leafHash;
  proof.forEach((sibling, level) => {
    const siblingOnLeft = level >= inner || ((index >> BigInt(level)) & 1n) === 1n;
    hash = siblingOnLeft ? nodeHash(sibling, hash) : nodeHash(hash, sibling);
  });
  return hash;
}

/** Throws MerkleError unless the proof places leafHash at index in the tree with rootHash. */
export function verifyInclusionProof(input: InclusionProofCheck): void {
  const expected = checkHash(checkObject(input, 'inclusion proof').rootHash, 'inclusion proof rootHash');
  const computed = rootFromInclusionProof(input);
  if (!bytesEqual(computed, expected)) {
    throw new MerkleError('MERKLE_ROOT_MISMATCH', `inclusion proof: expected root ${encodeHex(expected)}, the proof leads to ${encodeHex(computed)}`, {
      details: { expected: encodeHex(expected), actual: encodeHex(computed) },
    });
  }
}

function checkInclusionInput(input: unknown): InclusionProofInput {
  const fields = checkObject(input, 'inclusion proof');
  const leafHash = checkHash(fields.leafHash, 'inclusion proof leafHash');
  const index = checkUint64(fields.index, 'inclusion proof index');
  const treeSize = checkUint64(fields.treeSize, 'inclusion proof treeSize');
  const proof = checkProof(fields.proof, 'inclusion proof hashes');
  if (index >= treeSize) {
    throw new MerkleError('MERKLE_INDEX_OUT_OF_RANGE', `inclusion proof: expected a leaf index below the tree size ${treeSize}, found ${index}`, {
      details: { index: index.toString(), treeSize: treeSize.toString() },
    });
  }
  return { leafHash, index, treeSize, proof };
}
