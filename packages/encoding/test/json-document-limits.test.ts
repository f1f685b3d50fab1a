import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSON_DOCUMENT_LIMITS, checkJsonShape, type JsonDocumentKind } from '../src/index.js';

// Every real JSON document in the repository's fixtures, sorted by kind and counted as
// checkJsonShape counts: each kind's limits must leave wide headroom over the largest.
const ROOT = new URL('../../../', import.meta.url).pathname;
const FIXTURE_DIRS = ['test-infra/fixtures', 'test-infra/fuzz/corpus', ...readdirSync(join(ROOT, 'packages')).map((p) => `packages/${p}/test/fixtures`)];
/** How many times the largest real document each limit must allow at least. */
const HEADROOM = 100;

function* jsonFiles(dir: string): Generator<string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* jsonFiles(path);
    else if (name.endsWith('.json')) yield path;
  }
}

function kindOf(value: Record<string, unknown>): JsonDocumentKind | undefined {
  const mediaType = typeof value.mediaType === 'string' ? value.mediaType : '';
  if (mediaType.includes('sigstore.bundle')) return 'bundle';
  if (mediaType.includes('trustedroot')) return 'trusted root';
  if (mediaType.includes('signingconfig')) return 'signing config';
  const signed = value.signed as { _type?: string } | undefined;
  if (signed && value.signatures) return `TUF ${signed._type}` as JsonDocumentKind;
  if (typeof value.payloadType === 'string') return 'DSSE envelope';
  if (value.schemaVersion !== undefined && (value.layers || value.manifests)) return 'OCI manifest';
  if (value.attestations) return 'npm attestations';
  return undefined;
}

/** Each document, and the in-toto statement of every DSSE payload within it. */
function documents(): { file: string; kind: JsonDocumentKind; text: string }[] {
  const found: { file: string; kind: JsonDocumentKind; text: string }[] = [];
  for (const file of FIXTURE_DIRS.flatMap((dir) => [...jsonFiles(join(ROOT, dir))])) {
    const text = readFileSync(file, 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const kind = kindOf(value as Record<string, unknown>);
    if (kind) found.push({ file, kind, text });
    for (const payload of text.matchAll(/"payload":\s*"([A-Za-z0-9+/=]+)"/g)) {
      found.push({ file: `${file} (payload)`, kind: 'in-toto statement', text: Buffer.from(payload[1]!, 'base64').toString('utf8') });
    }
  }
  return found;
}

// The check itself counts: with a limit of 0 it says how many it found.
function found(text: string, limits: { maxContainers?: number; maxValues?: number }): number {
  try {
    checkJsonShape(text, 'count', limits);
    return 0;
  } catch (err) {
    return (err as { details: { found: number } }).details.found;
  }
}

describe('JSON document limits rest on the real documents', () => {
  const byKind = new Map<JsonDocumentKind, { containers: number; values: number; n: number }>();
  for (const { kind, text } of documents()) {
    const containers = found(text, { maxContainers: 0 });
    const values = found(text, { maxValues: 0 });
    const seen = byKind.get(kind) ?? { containers: 0, values: 0, n: 0 };
    byKind.set(kind, { containers: Math.max(seen.containers, containers), values: Math.max(seen.values, values), n: seen.n + 1 });
  }

  it('finds the Sigstore documents in the fixtures', () => {
    for (const kind of ['bundle', 'trusted root', 'signing config', 'in-toto statement', 'TUF root', 'TUF targets', 'OCI manifest'] as const) {
      expect(byKind.get(kind)?.n, kind).toBeGreaterThan(0);
    }
  });

  it(`leaves at least ${HEADROOM} times the largest real document of each kind`, () => {
    for (const [kind, largest] of byKind) {
      const limits = JSON_DOCUMENT_LIMITS[kind];
      expect(limits.maxContainers, `${kind}: ${largest.containers} containers`).toBeGreaterThanOrEqual(HEADROOM * largest.containers);
      expect(limits.maxValues, `${kind}: ${largest.values} values`).toBeGreaterThanOrEqual(HEADROOM * largest.values);
    }
  });

  it('keeps the Sigstore documents themselves small: a hostile one parses to a few MB', () => {
    for (const kind of ['bundle', 'DSSE envelope', 'trusted root', 'signing config', 'client trust config', 'legacy cosign bundle', 'TUF root', 'TUF timestamp'] as const) {
      expect(JSON_DOCUMENT_LIMITS[kind].maxContainers).toBeLessThanOrEqual(10_000);
      expect(JSON_DOCUMENT_LIMITS[kind].maxValues).toBeLessThanOrEqual(20_000);
    }
  });
});
