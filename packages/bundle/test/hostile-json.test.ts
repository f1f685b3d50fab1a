import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../../../scripts/bundle-for-node.mjs';

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
    expect(run.message).toBe('bundle: expected JSON with at most 1000000 arrays and objects, found 22369622 (the limit passed at offset 2999998)');
    expect(run.peakRss).toBeLessThan(4 * SIZE);
  });

  it('64 MiB of zeros in one array as a bundle (1 GB parsed): refused by the count of values', async () => {
    const run = await readInChild('bundle', Buffer.from(`[${'0,'.repeat(SIZE / 2 - 2)}0]`));
    expect(run.code).toBe('BUNDLE_TOO_LARGE');
    expect(run.message).toBe('bundle: expected JSON with at most 2000000 values, found 33554431 (the limit passed at offset 4000000)');
    expect(run.peakRss).toBeLessThan(4 * SIZE);
  });

  it('a trusted root at its own limit (16 MiB) of nested objects', async () => {
    const half = Buffer.alloc(8 * MiB, '{"a":');
    const run = await readInChild('trusted root', Buffer.concat([half.subarray(0, half.length - 1), Buffer.from('1'), Buffer.alloc(8 * MiB / 5, '}')]));
    expect(run.code).toBe('BUNDLE_TOO_LARGE');
    expect(run.message).toBe('trusted root: expected JSON nested at most 100 levels deep, found deeper nesting at offset 500');
  });
});
