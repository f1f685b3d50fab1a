import { describe, expect, it } from 'vitest';
import { encodeHex } from '@sigil/encoding';
import { MultiHasher, hash, hashStream, sha256 } from '../src/index.js';

const abc = new TextEncoder().encode('abc');

describe('hashing', () => {
  it('matches the FIPS 180-4 "abc" vectors', () => {
    expect(encodeHex(sha256(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(encodeHex(hash('sha384', abc))).toMatch(/^cb00753f45a35e8bb5a03d699ac65007/);
    expect(encodeHex(hash('sha512', abc))).toMatch(/^ddaf35a193617abacc417349ae204131/);
  });

  it('computes several digests over one pass of chunks', async () => {
    async function* chunks() {
      yield abc.subarray(0, 1);
      yield abc.subarray(1);
    }
    const digests = await hashStream(chunks(), ['sha256', 'sha512', 'sha256']);
    expect([...digests.keys()]).toEqual(['sha256', 'sha512']);
    expect(digests.get('sha256')).toEqual(sha256(abc));
    expect(new MultiHasher(['sha384']).update(abc).digests().get('sha384')).toEqual(hash('sha384', abc));
  });
});
