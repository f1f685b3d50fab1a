// C2SP tlog-tiles names (c2sp.org/tlog-tiles): tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>],
// N in 3-digit path elements, all but the last prefixed with "x" (1234067 -> x001/x234/067).

import { encodeTileIndex } from '@sigil/rekor';

export { encodeTileIndex };

/** Hashes (or entries) in a full tile. */
export const TILE_WIDTH = 256;
/** Tree levels one tile level spans (2^8 = 256). */
export const TILE_HEIGHT = 8;

/** `level` is a tile level, or 'entries' for an entry bundle; `width` below TILE_WIDTH names a partial tile. */
export function tilePath(level: number | 'entries', index: number, width: number): string {
  return `tile/${level}/${encodeTileIndex(index)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
}

export interface TileName {
  level: number | 'entries';
  index: number;
  /** TILE_WIDTH for a full tile. */
  width: number;
}

/** Reads a request path below tile/ ("0/x001/234.p/7", "entries/000"); undefined when it is not a tile name. */
export function parseTilePath(path: string): TileName | undefined {
  const match = /^(?<level>entries|[0-9]|[1-5][0-9]|6[0-3])\/(?<index>(?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/(?<width>[1-9][0-9]{0,2}))?$/.exec(path);
  if (!match?.groups) return undefined;
  const { level, index, width } = match.groups as { level: string; index: string; width?: string };
  const groups = index.split('/').map((group) => group.replace(/^x/, ''));
  // No leading zero groups: index 5 is "005", never "x000/005".
  if (groups.length > 1 && groups[0] === '000') return undefined;
  if (groups.length > 5) return undefined;
  const w = width === undefined ? TILE_WIDTH : Number(width);
  // A partial tile is narrower than a full one: ".p/256" names nothing.
  if (width !== undefined && w >= TILE_WIDTH) return undefined;
  return { level: level === 'entries' ? 'entries' : Number(level), index: Number(groups.join('')), width: w };
}
