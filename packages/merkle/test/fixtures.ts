// Test data lives in the repository's test-infra/fixtures (never outside the repository).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../../test-infra/fixtures/', import.meta.url));

export function readFixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export function readJsonFixture<T = any>(path: string): T {
  return JSON.parse(readFixture(path)) as T;
}

/** Every *.json file below a fixture folder, as [relative path, parsed JSON]. */
export function jsonFilesBelow(dir: string): [string, any][] {
  const root = join(FIXTURES, dir);
  const walk = (rel: string): string[] =>
    readdirSync(join(root, rel)).flatMap((name) => {
      const path = join(rel, name);
      return statSync(join(root, path)).isDirectory() ? walk(path) : name.endsWith('.json') ? [path] : [];
    });
  return walk('').sort().map((path) => [path, JSON.parse(readFileSync(join(root, path), 'utf8'))]);
}

export const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
export const b64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Builds the leaves of a deterministic test tree. */
export function makeEntries(count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => new TextEncoder().encode(`entry ${i}`));
}

/** Copies `bytes` with one bit flipped. */
export function flipBit(bytes: Uint8Array, byte = 0, bit = 0): Uint8Array {
  const copy = bytes.slice();
  copy[byte]! ^= 1 << bit;
  return copy;
}

/** A small deterministic PRNG (mulberry32): property tests stay reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
