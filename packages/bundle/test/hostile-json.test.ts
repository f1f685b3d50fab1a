import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../../../scripts/bundle-for-node.mjs';
import { parseBundle, parseStatement, parseTrustedRoot } from '../src/index.js';
import { expectBundleError, readFixture, readJsonFixture } from './helpers.js';

// A hostile document at the size limit (64 MiB) in a process with a 512 MB heap: JSON.parse
// alone took 17 s and 3.3 GB on nested arrays and aborted Node under this limit. The shape
// check refuses it with a typed error, the whole process staying within a few times the file.
const MiB = 1024 * 1024;
const SIZE = 64 * MiB;
let dir: string;
let reader: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-hostile-json-'));
  await bundleForNode({ 'read-document-file': new URL('support/read-document-file.ts', import.meta.url).pathname }, dir);
  reader = join(dir, 'read-document-file.mjs');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readInChild(kind: 'bundle' | 'trusted root', content: Buffer): Promise<{ code?: string; message?: string; peakRss: number }> {
  const file = join(dir, 'hostile.json');
  writeFileSync(file, content);
  const { stdout } = await promisify(execFile)(process.execPath, ['--max-old-space-size=512', reader, kind === 'bundle' ? 'bundle' : 'root', file]);
  return JSON.parse(stdout);
}

describe('hostile JSON at the size limit, in a 512 MB heap', () => {
  it('64 MiB of nested arrays as a bundle: BUNDLE_TOO_LARGE naming the depth limit', async () => {
    const run = await readInChild('bundle', Buffer.concat([Buffer.alloc(SIZE / 2, '['), Buffer.alloc(SIZE / 2, ']')]));
    expect(run.code).toBe('BUNDLE_TOO_LARGE');
    expect(run.message).toBe('bundle: expected JSON nested at most 100 levels deep, found deeper nesting at offset 100');
    expect(run.peakRss).toBeLessThan(4 * SIZE);
  });

  it('64 MiB of empty objects in one array as a bundle (2.2 GB parsed): refused by their count', async () => {
    const run = await readInChild('bundle', Buffer.from(`[${'{},'.repeat(SIZE / 3 - 1)}{}]`));
    expect(run.code).toBe('BUNDLE_TOO_LARGE');
    expect(run.message).toBe('bundle: expected JSON with at most 10000 arrays and objects, found 22369622 (the limit passed at offset 29998)');
    expect(run.peakRss).toBeLessThan(4 * SIZE);
  });

  it('64 MiB of zeros in one array as a bundle (1 GB parsed): refused by the count of values', async () => {
    const run = await readInChild('bundle', Buffer.from(`[${'0,'.repeat(SIZE / 2 - 2)}0]`));
    expect(run.code).toBe('BUNDLE_TOO_LARGE');
    expect(run.message).toBe('bundle: expected JSON with at most 20000 values, found 33554431 (the limit passed at offset 40000)');
    expect(run.peakRss).toBeLessThan(4 * SIZE);
  });

  it('a trusted root at its own limit (16 MiB) of nested objects', async () => {
    const half = Buffer.alloc(8 * MiB, '{"a":');
    const run = await readInChild('trusted root', Buffer.concat([half.subarray(0, half.length - 1), Buffer.from('1'), Buffer.alloc(8 * MiB / 5, '}')]));
    expect(run.code).toBe('BUNDLE_TOO_LARGE');
    expect(run.message).toBe('trusted root: expected JSON nested at most 100 levels deep, found deeper nesting at offset 500');
  });
});

// Each kind of document has limits of its own (JSON_DOCUMENT_LIMITS), far below the general
// ones for the Sigstore documents: a real bundle holds a few dozen arrays and objects. At the
// general limits a 3 MB bundle with an unknown member of 999,000 empty objects verified and
// cost 107 MB.
describe('hostile JSON within the general limits, over the document kind\'s', () => {
  const real = () => readJsonFixture('conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json');
  const withUnknownArray = (document: object, items: string) => JSON.stringify(document).replace(/}$/, `,"x":[${items}]}`);
  // Items as long as real ones (32 characters an object, 8 a value), so that the kind's limit
  // is what refuses them, not the text's density (checked below).
  const objects = (n: number) => Array(n).fill(`{"p":"${'x'.repeat(26)}"}`).join(',');
  const numbers = (n: number) => Array(n).fill('1234567').join(',');

  it('a real bundle with an unknown member of 100,000 empty objects: BUNDLE_TOO_LARGE naming the limit and the count', () => {
    const err = expectBundleError(() => parseBundle(withUnknownArray(real(), objects(100_000))), 'BUNDLE_TOO_LARGE', '');
    expect(err.message).toMatch(/^bundle: expected JSON with at most 10000 arrays and objects, found 1000\d\d \(the limit passed at offset \d+\)$/);
  });

  it('a real bundle with an unknown member of 30,000 zeros: refused by the count of values', () => {
    const err = expectBundleError(() => parseBundle(withUnknownArray(real(), numbers(30_000))), 'BUNDLE_TOO_LARGE', '');
    expect(err.message).toMatch(/^bundle: expected JSON with at most 20000 values, found 30\d{3} /);
  });

  it('a trusted root with an unknown member of 100,000 empty objects: refused by its own limit', () => {
    const root = JSON.parse(Buffer.from(readFixture('corpus/trusted-roots/prod.json')).toString('utf8'));
    const err = expectBundleError(() => parseTrustedRoot(withUnknownArray(root, objects(100_000))), 'BUNDLE_TOO_LARGE', '');
    expect(err.message).toMatch(/^trusted root: expected JSON with at most 10000 arrays and objects, found 100\d{3} /);
  });

  it('an in-toto statement keeps room for large predicates: 300,000 objects as long as an SBOM\'s (10 MB) parse', () => {
    const statement = JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: '00'.repeat(32) } }], predicateType: 'x', predicate: { x: [] } })
      .replace('"x":[]', `"x":[${objects(300_000)}]`);
    expect(parseStatement(new TextEncoder().encode(statement)).predicateType).toBe('x');
  });

  it('past 50,000 arrays and objects a document must be as long as what it holds needs: a predicate of 249,000 empty objects is refused', () => {
    const text = JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: '00'.repeat(32) } }], predicateType: 'x', predicate: { x: [] } })
      .replace('"x":[]', `"x":[${Array(249_000).fill('{}').join(',')}]`);
    const err = expectBundleError(() => parseStatement(new TextEncoder().encode(text)), 'BUNDLE_INVALID_STATEMENT', '');
    expect(err.message).toMatch(new RegExp(`^in-toto statement: expected JSON with at most 50000 arrays and objects \\(one per 32 characters of its ${text.length}, 50000 at least\\), found 2490\\d\\d `));
  });
});
