import { sha256 } from '@sigil/crypto';

/** Every hash in an RFC 6962 SHA-256 tree is this many bytes. */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Uint8Array = sha256();

/** RFC 6962 leaf hash: H(0x00 || entry). The prefix keeps leaves and nodes apart (second preimages). */
export function leafHash(entry: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, entry);
}

/** RFC 6962 interior node hash: H(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}
