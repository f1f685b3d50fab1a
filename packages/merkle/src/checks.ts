import { typeOf } from '@sigil/encoding';
import { MerkleError } from './errors.js';
import { HASH_SIZE } from './hashes.js';

/** Tree sizes and indices are uint64 in every log format; anything larger is refused up front. */
export const MAX_TREE_SIZE = (1n << 64n) - 1n;

/** A uint64 proof never needs more hashes than this (inclusion: 64, consistency: 1 + 64). */
export const MAX_PROOF_HASHES = 65;

export function checkHash(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new MerkleError('MERKLE_INPUT_INVALID', `${what}: expected a Uint8Array, found ${typeOf(value)}`);
  }
  if (value.length !== HASH_SIZE) {
    throw new MerkleError('MERKLE_HASH_SIZE_INVALID', `${what}: expected a ${HASH_SIZE}-byte SHA-256 hash, found ${value.length} bytes`, {
      details: { expected: HASH_SIZE, actual: value.length },
    });
  }
  return value;
}

export function checkUint64(value: unknown, what: string): bigint {
  if (typeof value !== 'bigint') {
    throw new MerkleError('MERKLE_INPUT_INVALID', `${what}: expected a bigint, found ${typeOf(value)}`);
  }
  if (value < 0n || value > MAX_TREE_SIZE) {
    throw new MerkleError('MERKLE_TREE_SIZE_INVALID', `${what}: expected an integer from 0 to 2^64-1, found ${value}`, {
      details: { actual: value.toString() },
    });
  }
  return value;
}

export function checkProof(value: unknown, what: string): Uint8Array[] {
  if (!Array.isArray(value)) {
    throw new MerkleError('MERKLE_INPUT_INVALID', `${what}: expected an array of hashes, found ${typeOf(value)}`);
  }
  if (value.length > MAX_PROOF_HASHES) {
    throw new MerkleError('MERKLE_PROOF_LENGTH_INVALID', `${what}: expected at most ${MAX_PROOF_HASHES} hashes, found ${value.length}`, {
      details: { expected: MAX_PROOF_HASHES, actual: value.length },
    });
  }
  // Array.from visits holes too: a sparse array must not pass as a shorter proof.
  return Array.from(value, (hash, i) => checkHash(hash, `${what}[${i}]`));
}

export function checkObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MerkleError('MERKLE_INPUT_INVALID', `${what}: expected an object, found ${typeOf(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Number of bits needed to write n (0 for 0). */
export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

export function popCount(n: bigint): number {
  let count = 0;
  for (const digit of n.toString(2)) if (digit === '1') count++;
  return count;
}
