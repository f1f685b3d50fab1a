// Proofs from a tile-based log's read API: the hashes a proof needs are read from hash tiles
// (tlog-tiles: the level-L tile holds the tree's nodes at height 8L; nodes in between are
// hashed from them), and @sigil/merkle's MerkleTree computes the proof over that store. Tiles are
// fetched as the tree asks for them. Nothing here is trusted: the caller verifies the proof it
// gets against a checkpoint whose signature it verified, and a wrong tile makes that fail.
import { HASH_SIZE, leafHash, MerkleError, MerkleTree, nodeHash, type HashStore } from '@sigil/merkle';
import { responseInvalid } from './response-reader.js';
import type { RekorV2Client } from './rekor-v2-client.js';

const TILE_WIDTH = 256;
const TILE_HEIGHT = 8;
/** Tiles a proof can need: a few per level. More rounds than that is a server misbehaving. */
const MAX_ROUNDS = 200;

export interface TileProofs {
  /** The body of entry `index` (< treeSize) and its inclusion proof for the tree of `treeSize` entries. */
  inclusion(index: bigint, treeSize: bigint): Promise<{ body: Uint8Array; leafHash: Uint8Array; proof: Uint8Array[] }>;
  /** The inclusion proof alone (no entry bundle read). */
  inclusionProof(index: bigint, treeSize: bigint): Promise<Uint8Array[]>;
  /** The consistency proof from `first` to `second` entries. */
  consistency(first: bigint, second: bigint): Promise<Uint8Array[]>;
  /** The root hash of the first `treeSize` entries, computed from tiles. */
  rootHash(treeSize: bigint): Promise<Uint8Array>;
}

export function tileProofs(client: RekorV2Client): TileProofs {
  const tiles = new Map<string, Uint8Array>();

  /** Runs `compute` over a tree of `treeSize` leaves, fetching the tiles it turns out to need. */
  const withTree = async <T>(treeSize: bigint, compute: (tree: MerkleTree) => T): Promise<T> => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const needed = new Map<string, { level: number; index: number; width: number }>();
      const store = tileStore(treeSize, tiles, needed);
      try {
        return compute(new MerkleTree(store, treeSize));
      } catch (err) {
        if (!(err instanceof MerkleError) || err.code !== 'MERKLE_STORE_INCOMPLETE' || needed.size === 0) throw err;
      }
      await Promise.all(
        [...needed].map(async ([key, { level, index, width }]) => {
          tiles.set(key, await client.getTile(level, index, width));
        }),
      );
    }
    throw responseInvalid(`Rekor v2 tiles: a proof for tree size ${treeSize} still lacks hashes after ${MAX_ROUNDS} rounds of tiles`);
  };

  return {
    async inclusion(index, treeSize) {
      const bundle = Number(index / BigInt(TILE_WIDTH));
      const width = Math.min(TILE_WIDTH, Number(treeSize - BigInt(bundle) * BigInt(TILE_WIDTH)));
      const body = (await client.getEntryBundle(bundle, width))[Number(index % BigInt(TILE_WIDTH))]!;
      const proof = await withTree(treeSize, (tree) => tree.inclusionProof(index, treeSize));
      return { body, leafHash: leafHash(body), proof };
    },
    inclusionProof: (index, treeSize) => withTree(treeSize, (tree) => tree.inclusionProof(index, treeSize)),
    consistency: (first, second) => withTree(second, (tree) => tree.consistencyProof(first, second)),
    rootHash: (treeSize) => withTree(treeSize, (tree) => tree.rootHash(treeSize)),
  };
}

/** A read-only HashStore over fetched tiles; a node whose tile is missing is noted in `needed`. */
function tileStore(treeSize: bigint, tiles: Map<string, Uint8Array>, needed: Map<string, { level: number; index: number; width: number }>): HashStore {
  return {
    get(height, index) {
      const level = Math.floor(height / TILE_HEIGHT);
      const below = height % TILE_HEIGHT;
      const first = Number(index) * 2 ** below;
      const count = 2 ** below;
      const tile = Math.floor(first / TILE_WIDTH);
      const nodes = Number(treeSize / BigInt(2 ** (TILE_HEIGHT * level)));
      const width = Math.min(TILE_WIDTH, nodes - tile * TILE_WIDTH);
      if (width <= 0 || first + count > tile * TILE_WIDTH + width) return undefined;
      const key = `${level}/${tile}/${width}`;
      const bytes = tiles.get(key);
      if (!bytes) {
        needed.set(key, { level, index: tile, width });
        return undefined;
      }
      let hashes: Uint8Array[] = [];
      for (let i = 0; i < count; i++) {
        const at = (first - tile * TILE_WIDTH + i) * HASH_SIZE;
        hashes.push(bytes.subarray(at, at + HASH_SIZE));
      }
      while (hashes.length > 1) hashes = hashes.filter((_, i) => i % 2 === 0).map((left, i) => nodeHash(left, hashes[2 * i + 1]!));
      return hashes[0];
    },
    put() {
      throw new MerkleError('MERKLE_INPUT_INVALID', 'tile store: read-only');
    },
  };
}
