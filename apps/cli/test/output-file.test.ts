import { execFileSync, spawn } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

// Filesystem faults no test directory has on its own, injected into node:fs for one
// directory only (the rest of node:fs stays real): link() answering EPERM, as on vfat, exFAT
// and some network and FUSE filesystems, and a rename that fails (EIO) for one output.
const faults = vi.hoisted(() => ({ noLinksUnder: undefined as string | undefined, failRenameTo: undefined as string | undefined }));
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  const fail = (code: string, what: string) => Object.assign(new Error(`${code}: ${what}`), { code });
  const linkSync: typeof fs.linkSync = (existing, created) => {
    if (faults.noLinksUnder !== undefined && String(existing).startsWith(faults.noLinksUnder)) throw fail('EPERM', `operation not permitted, link '${String(existing)}'`);
    fs.linkSync(existing, created);
  };
  const renameSync: typeof fs.renameSync = (from, to) => {
    if (faults.failRenameTo !== undefined && String(to) === faults.failRenameTo) throw fail('EIO', `i/o error, rename to '${String(to)}'`);
    fs.renameSync(from, to);
  };
  return { ...fs, linkSync, renameSync, default: { ...fs, linkSync, renameSync } };
});
const { writeOutputFiles } = await import('../src/output-file.js');

const work = mkdtempSync(join(tmpdir(), 'sigil-output-file-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => {
  faults.noLinksUnder = undefined;
  faults.failRenameTo = undefined;
});
let cases = 0;
const freshDir = () => {
  const dir = join(work, `case-${cases++}`);
  mkdirSync(dir);
  return dir;
};

describe('writeOutputFiles on a filesystem without hard links', () => {
  it('a later output whose rename fails: the previous file is put back from a copy, not deleted', () => {
    const dir = freshDir();
    faults.noLinksUnder = dir;
    faults.failRenameTo = join(dir, 'artifact.sig');
    writeFileSync(join(dir, 'cosign.bundle'), 'the previous bundle\n');
    const outputs = [
      { path: join(dir, 'cosign.bundle'), content: 'the new bundle\n' },
      { path: join(dir, 'artifact.sig'), content: 'new signature\n' },
    ];
    expect(() => writeOutputFiles(outputs)).toThrow(/artifact\.sig: cannot be written \(EIO/);
    expect(readFileSync(join(dir, 'cosign.bundle'), 'utf8')).toBe('the previous bundle\n');
    expect(readdirSync(dir)).toEqual(['cosign.bundle']);
  });

  it('without a failure: every output in place, no backup left', () => {
    const dir = freshDir();
    faults.noLinksUnder = dir;
    writeFileSync(join(dir, 'cosign.bundle'), 'the previous bundle\n');
    writeOutputFiles([
      { path: join(dir, 'cosign.bundle'), content: 'the new bundle\n' },
      { path: join(dir, 'artifact.sig'), content: 'new signature\n' },
    ]);
    expect(readFileSync(join(dir, 'cosign.bundle'), 'utf8')).toBe('the new bundle\n');
    expect(readdirSync(dir).sort()).toEqual(['artifact.sig', 'cosign.bundle']);
  });
});

// Not /dev/stdout or /dev/null here: a regression would replace them on a machine running tests as root.
describe('writeOutputFiles to a FIFO, or onto a directory', () => {
  it('a FIFO is written through to its reader after the files are in place, and stays a FIFO (cosign writes --bundle /dev/stdout through)', async () => {
    const dir = freshDir();
    const fifo = join(dir, 'bundle.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (chunk: Buffer) => (read += chunk.toString()));
    const closed = new Promise<void>((done) => reader.on('close', () => done()));
    try {
      writeOutputFiles([
        { path: fifo, content: '{"bundle":true}\n' },
        { path: join(dir, 'artifact.sig'), content: 'signature\n' },
      ]);
      await closed;
      expect(read).toBe('{"bundle":true}\n');
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(readFileSync(join(dir, 'artifact.sig'), 'utf8')).toBe('signature\n');
      expect(readdirSync(dir).sort()).toEqual(['artifact.sig', 'bundle.fifo']);
    } finally {
      reader.kill();
    }
  });

  it('a directory in the way is refused by name before anything is written', () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'cosign.bundle'));
    expect(() => writeOutputFiles([
      { path: join(dir, 'artifact.sig'), content: 'x' },
      { path: join(dir, 'cosign.bundle'), content: 'x' },
    ])).toThrow(/cosign\.bundle: cannot be written \(expected a regular file, a character device \(\/dev\/stdout\) or a FIFO, found a directory\)/);
    expect(readdirSync(dir)).toEqual(['cosign.bundle']);
  });
});
