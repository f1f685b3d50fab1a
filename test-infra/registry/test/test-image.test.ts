import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RegistryTestError, buildTestImage, pushTestImage, sha256Digest, type TestImageOptions } from '../src/index.js';
import { DEFAULT_IMAGE_DIGEST } from './helpers.js';

// The test image: byte for byte the same everywhere, a real tar.gz, a valid config and manifest.
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const field = (tar: Uint8Array, offset: number, length: number) => text(tar.subarray(offset, offset + length));

describe('buildTestImage', () => {
  it('has the pinned digest with default options, on every call', () => {
    const image = buildTestImage();
    expect(image.manifestDigest).toBe(DEFAULT_IMAGE_DIGEST);
    expect(sha256Digest(image.manifest)).toBe(DEFAULT_IMAGE_DIGEST);
    expect(image.layer.digest).toBe('sha256:ac9cc85e434993c9c3890a46359992f95d9acf7f2b83142adacfe6f018c154cd');
    expect(image.config.digest).toBe('sha256:b5a748367d953999e3b54204827e5651c0125ed22900a0a234a409a5ee292621');
    expect(buildTestImage({ content: 'hello\n', name: 'hello.txt' }).manifest).toEqual(image.manifest);
  });

  it('pins a second image too, and other content or names give other digests', () => {
    const second = buildTestImage({ content: 'second image\n' });
    expect(second.manifestDigest).toBe(buildTestImage({ content: 'second image\n' }).manifestDigest);
    const digests = new Set([DEFAULT_IMAGE_DIGEST, second.manifestDigest, buildTestImage({ name: 'other.txt' }).manifestDigest, buildTestImage({ content: '' }).manifestDigest]);
    expect(digests.size).toBe(4);
  });

  it('writes an OCI image manifest naming the config and the one gzip layer by digest and size', () => {
    const image = buildTestImage();
    expect(JSON.parse(text(image.manifest))).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.config.digest, size: image.config.bytes.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: image.layer.digest, size: image.layer.bytes.length }],
    });
    expect(image.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(image.descriptor).toEqual({ mediaType: image.mediaType, digest: image.manifestDigest, size: image.manifest.length });
    expect(image.config.digest).toBe(sha256Digest(image.config.bytes));
    expect(image.layer.digest).toBe(sha256Digest(image.layer.bytes));
  });

  it('writes a linux/amd64 config whose diff_ids is the digest of the uncompressed tar, with no timestamp', () => {
    const image = buildTestImage();
    const config = JSON.parse(text(image.config.bytes));
    expect(config).toEqual({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [image.layer.diffId] } });
    expect(image.layer.diffId).toBe(sha256Digest(gunzipSync(image.layer.bytes)));
  });

  it('gzips with a fixed header (mtime 0, OS 3) and stored deflate blocks', () => {
    const { bytes } = buildTestImage().layer;
    expect([...bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);
    expect(bytes[10]! & 0b110).toBe(0); // BTYPE 00: stored
  });

  it('holds a ustar archive with one file: fixed mode, owner and mtime, a valid checksum', () => {
    const tar = new Uint8Array(gunzipSync(buildTestImage({ content: 'ustar check\n', name: 'file.txt' }).layer.bytes));
    expect(tar.length).toBe(2048);
    expect(field(tar, 0, 9)).toBe('file.txt\0');
    expect(field(tar, 100, 8)).toBe('0000644\0');
    expect(field(tar, 108, 16)).toBe('0000000\u00000000000\0');
    expect(field(tar, 124, 12)).toBe('00000000014\0');
    expect(field(tar, 136, 12)).toBe('00000000000\0');
    expect(field(tar, 156, 1)).toBe('0');
    expect(field(tar, 257, 8)).toBe('ustar\u000000');
    const header = tar.slice(0, 512);
    const stored = parseInt(field(header, 148, 6), 8);
    header.fill(0x20, 148, 156);
    expect(header.reduce((sum, byte) => sum + byte, 0)).toBe(stored);
    expect(field(tar, 512, 12)).toBe('ustar check\n');
    expect(tar.subarray(1024).every((byte) => byte === 0)).toBe(true);
  });

  it('is read by the system tar as one 0644 file owned by 0/0 at the epoch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigil-test-image-'));
    try {
      writeFileSync(join(dir, 'layer.tar.gz'), buildTestImage().layer.bytes);
      const listing = execFileSync('tar', ['-tvzf', 'layer.tar.gz', '--numeric-owner'], { cwd: dir, encoding: 'utf8' });
      expect(listing.trim()).toMatch(/^-rw-r--r-- 0\/0\s+6 1970-01-01 00:00 hello\.txt$/);
      execFileSync('tar', ['-xzf', 'layer.tar.gz'], { cwd: dir });
      expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello\n');
      expect(statSync(join(dir, 'hello.txt')).mtimeMs).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each<[string, unknown]>([
    ['content that is not a string', { content: 42 }],
    ['content over 1 MiB', { content: 'x'.repeat(1024 * 1024 + 1) }],
    ['a name with a slash', { name: 'dir/file' }],
    ['a name starting with a dot', { name: '..' }],
    ['a name over 100 characters', { name: 'n'.repeat(101) }],
    ['an empty name', { name: '' }],
    ['options that are not an object', 'hello'],
  ])('refuses %s with REGISTRY_INPUT_INVALID', (_, options) => {
    let err: unknown;
    try {
      buildTestImage(options as TestImageOptions);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RegistryTestError);
    expect((err as RegistryTestError).code).toBe('REGISTRY_INPUT_INVALID');
  });
});

describe('pushTestImage arguments', () => {
  const image = buildTestImage();

  it.each<[string, string, string, string]>([
    ['a registry URL that is not a URL', 'registry', 'test/hello', 'v1'],
    ['a registry URL with a path', 'http://127.0.0.1:1/v2/', 'test/hello', 'v1'],
    ['a registry URL of another scheme', 'ftp://127.0.0.1:1', 'test/hello', 'v1'],
    ['a repository in capitals', 'http://127.0.0.1:1', 'Test/Hello', 'v1'],
    ['a tag with a slash', 'http://127.0.0.1:1', 'test/hello', 'v/1'],
  ])('refuses %s with REGISTRY_INPUT_INVALID', async (_, url, repository, tag) => {
    const err = await pushTestImage(url, repository, tag, image).catch((e: unknown) => e);
    expect((err as RegistryTestError).code).toBe('REGISTRY_INPUT_INVALID');
  });

  it('fails with REGISTRY_PUSH_FAILED when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const err = await pushTestImage(`http://127.0.0.1:${port}`, 'test/hello', 'v1', image).catch((e: unknown) => e);
    expect((err as RegistryTestError).code).toBe('REGISTRY_PUSH_FAILED');
  });
});
