import { gzipSync } from 'node:zlib';
import type { Gunzip, ZlibOptions } from 'node:zlib';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { VerificationError, certificateIdentity, createVerifier } from '@sigil/verify';
import { readPackageJsonFromTarball, verifyNpmProvenance } from '../src/index.js';
import { attestationsOf, header, npmCorpusCase, prodTrust } from './helpers.js';

// Counts what the reader's gunzip streams put out, so the tests can say how much a bomb
// cost without timing it.
const inflated = vi.hoisted(() => ({ bytes: 0 }));
vi.mock('node:zlib', async (importOriginal) => {
  const zlib = await importOriginal<typeof import('node:zlib')>();
  const createGunzip = (options?: ZlibOptions): Gunzip => {
    const gunzip = zlib.createGunzip(options);
    const push = gunzip.push.bind(gunzip);
    gunzip.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk instanceof Uint8Array) inflated.bytes += chunk.length;
      return push(chunk, encoding);
    };
    return gunzip;
  };
  return { ...zlib, createGunzip, default: { ...zlib, createGunzip } };
});

const MiB = 1024 * 1024;
const manifest = JSON.stringify({ name: 'sigstore', version: '1.0.0' });
// 16 MiB of zeros compresses to about 16 KB; gzip members concatenate, so a bomb costs little to build.
const zeros16MiB = gzipSync(Buffer.alloc(16 * MiB), { level: 9 });

/** These tar blocks gzip'd, then `mib` MiB of zeros in gzip members of their own. */
function bomb(tar: Uint8Array[], mib: number): Uint8Array {
  return new Uint8Array(Buffer.concat([gzipSync(Buffer.concat(tar)), ...Array.from({ length: mib / 16 }, () => zeros16MiB)]));
}

function packageJsonEntry(): Uint8Array[] {
  const data = Buffer.from(manifest);
  const padded = Buffer.alloc(512);
  data.copy(padded);
  return [header('package/package.json', data.length, '0'), padded];
}

beforeEach(() => {
  inflated.bytes = 0;
});

describe('gzip bombs: the reader inflates little of them', () => {
  it('refuses more than 1 MiB of zeros after the end-of-archive blocks, having inflated little more', async () => {
    const tgz = bomb([...packageJsonEntry(), new Uint8Array(1024)], 64);
    const err = await readPackageJsonFromTarball(tgz).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROVENANCE_NPM_TARBALL_INVALID' });
    expect((err as Error).message).toContain('expected at most 1048576 bytes of zero padding after the end-of-archive blocks, found more');
    expect(inflated.bytes).toBeLessThanOrEqual(2 * MiB);
  });

  it('checks the tarball against the signed digest before inflating any of it', async () => {
    // A real package's bundle, not for this tarball; the zeros are an entry's data here,
    // which the reader would have to read through.
    const tgz = bomb([...packageJsonEntry(), header('package/big.bin', 64 * MiB, '0')], 64);
    const c = npmCorpusCase('go-npm-provenance-sigstore-2.0.0');
    const err = await verifyNpmProvenance({
      tarball: tgz,
      attestations: attestationsOf(c.bundle, 'https://slsa.dev/provenance/v1'),
      verifier: createVerifier(prodTrust()),
      policy: { identities: [certificateIdentity({ identity: c.identity, issuer: c.issuer })] },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerificationError);
    expect((err as VerificationError).code).toBe('VERIFY_ARTIFACT_MISMATCH');
    expect(inflated.bytes).toBe(0);
  });
});
