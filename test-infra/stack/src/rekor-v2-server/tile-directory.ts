// The log's read side as files: C2SP tlog-tiles hash tiles, entry bundles and the checkpoint,
// laid out so that any static file server can serve the directory at /api/v2/. Every tile
// file is immutable once written (a partial tile of width W never changes; it is removed once
// the full tile exists, as tlog-tiles allows); the checkpoint is replaced whole (rename), and
// only after every tile it needs is in place.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HASH_SIZE } from '@sigil/merkle';
import { TILE_HEIGHT, TILE_WIDTH, encodeTileIndex, tilePath } from './tile-paths.js';

/** Node hashes by tree level (0: leaves) and index: the complete subtrees of the log. */
export interface NodeHashes {
  get(level: number, index: bigint): Uint8Array | undefined;
}

/** Entry bundles prefix each entry with its length in two bytes, so an entry is at most this long. */
export const MAX_ENTRY_BYTES = 0xffff;
export const CHECKPOINT_FILE = 'checkpoint';

export class TileDirectory {
  private readonly made = new Set<string>();
  private sequence = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  }

  /**
   * Writes every tile and entry bundle that changes when the log grows from `from` to `to`
   * entries. With `onlyMissing`, full tiles already on disk are left alone (a restart's repair).
   */
  grow(from: number, to: number, hashes: NodeHashes, body: (index: number) => Uint8Array, onlyMissing = false): void {
    for (let level = 0; ; level++) {
      const span = 2 ** (TILE_HEIGHT * level);
      const before = Math.floor(from / span);
      const after = Math.floor(to / span);
      if (after === 0 || after === before) break;
      for (let tile = Math.floor(before / TILE_WIDTH); tile * TILE_WIDTH < after; tile++) {
        const width = Math.min(TILE_WIDTH, after - tile * TILE_WIDTH);
        if (onlyMissing && width === TILE_WIDTH && existsSync(join(this.dir, tilePath(level, tile, width)))) continue;
        const bytes = Buffer.allocUnsafe(width * HASH_SIZE);
        for (let i = 0; i < width; i++) bytes.set(hashes.get(TILE_HEIGHT * level, BigInt(tile * TILE_WIDTH + i))!, i * HASH_SIZE);
        this.writeTile(level, tile, width, bytes);
        if (level === 0) this.writeTile('entries', tile, width, bundle(tile * TILE_WIDTH, width, body));
      }
    }
  }

  /** Replaces the checkpoint (after grow() wrote what it covers). */
  publishCheckpoint(text: string): void {
    this.writeFile(CHECKPOINT_FILE, text);
  }

  private writeTile(level: number | 'entries', index: number, width: number, bytes: Uint8Array): void {
    this.writeFile(tilePath(level, index, width), bytes);
    // A full tile supersedes its partial versions.
    if (width === TILE_WIDTH) rmSync(join(this.dir, 'tile', String(level), `${encodeTileIndex(index)}.p`), { recursive: true, force: true });
  }

  /** Whole or absent: readers (this server, or a static one) never see a half-written file. */
  private writeFile(name: string, data: Uint8Array | string): void {
    const path = join(this.dir, name);
    const parent = dirname(path);
    if (!this.made.has(parent)) {
      mkdirSync(parent, { recursive: true, mode: 0o755 });
      this.made.add(parent);
    }
    const temporary = join(parent, `.tmp-${process.pid}-${this.sequence++}`);
    writeFileSync(temporary, data, { mode: 0o644 });
    renameSync(temporary, path);
  }
}

/** An entry bundle: each entry as a big-endian uint16 length and its bytes. */
function bundle(start: number, width: number, body: (index: number) => Uint8Array): Buffer {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < width; i++) {
    const entry = body(start + i);
    const length = Buffer.allocUnsafe(2);
    length.writeUInt16BE(entry.length);
    parts.push(length, entry);
  }
  return Buffer.concat(parts);
}
