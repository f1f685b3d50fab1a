// P-256 signatures over digests, checked with native scalar multiplications, agree with
// @noble/curves (the reference) on valid, high-S, wrong, malformed and degenerate signatures.
import * as nodeCrypto from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { createP256DigestVerifier, p256Coordinates } from '../../src/rekor-server/ecdsa-p256-digest.js';
import { verifyP256Digest } from '../../src/rekor-server/index.js';

const N = p256.Point.CURVE().n;
const { privateKey, publicKey } = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const point = p256Coordinates(publicKey);
const uncompressed = new Uint8Array([4, ...point.x, ...point.y]);
const secret = BigInt(`0x${Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url').toString('hex')}`);

const noble = (digest: Uint8Array, signature: Uint8Array) => {
  try {
    return p256.verify(signature, digest.subarray(0, 32), uncompressed, { prehash: false, lowS: false, format: 'der' });
  } catch {
    return false;
  }
};
const bytes32 = (value: bigint) => new Uint8Array(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'));
const der = (r: bigint, s: bigint) => new Uint8Array(p256.Signature.fromBytes(new Uint8Array([...bytes32(r), ...bytes32(s)]), 'compact').toBytes('der'));
const signed = (algorithm = 'sha256') => {
  const data = nodeCrypto.randomBytes(20);
  return { digest: new Uint8Array(nodeCrypto.createHash(algorithm).update(data).digest()), signature: new Uint8Array(nodeCrypto.sign(algorithm, data, privateKey)) };
};
const mod = (value: bigint) => ((value % N) + N) % N;
const invert = (value: bigint) => {
  let [a, b, x, y] = [mod(value), N, 1n, 0n];
  while (a !== 0n) [a, b, x, y] = [b % a, a, y - (b / a) * x, x];
  return mod(y);
};
/** A signature made by hand with nonce t over digest value e. */
const signWithNonce = (e: bigint, t: bigint) => {
  const r = mod(p256.Point.BASE.multiply(t).toAffine().x);
  return { r, s: mod(invert(t) * (e + r * secret)) };
};

describe('verifyP256Digest', () => {
  it('accepts what node:crypto signs, over SHA-256, -384 and -512 digests, as @noble/curves does', () => {
    for (let i = 0; i < 20; i++) {
      for (const algorithm of ['sha256', 'sha384', 'sha512']) {
        const { digest, signature } = signed(algorithm);
        expect(verifyP256Digest(publicKey, digest, signature)).toBe(true);
        expect(noble(digest, signature)).toBe(true);
      }
    }
  });

  it('accepts high-S signatures (Go signers do not normalise)', () => {
    const { digest, signature } = signed();
    const { r, s } = p256.Signature.fromBytes(signature, 'der');
    const high = der(r, N - s);
    expect(verifyP256Digest(publicKey, digest, high)).toBe(true);
    expect(noble(digest, high)).toBe(true);
  });

  it('refuses another digest, another key, or a changed signature', () => {
    const { digest, signature } = signed();
    const { digest: otherDigest } = signed();
    expect(verifyP256Digest(publicKey, otherDigest, signature)).toBe(false);
    expect(verifyP256Digest(other, digest, signature)).toBe(false);
    const { r, s } = p256.Signature.fromBytes(signature, 'der');
    expect(verifyP256Digest(publicKey, digest, der(r, mod(s + 1n)))).toBe(false);
    expect(verifyP256Digest(publicKey, digest, der(mod(r + 1n) || 1n, s))).toBe(false);
  });

  it('refuses malformed DER without throwing', () => {
    const { digest, signature } = signed();
    const { r, s } = p256.Signature.fromBytes(signature, 'der');
    const rBytes = [...bytes32(r)];
    const sBytes = [...bytes32(s)];
    const sequence = (...parts: number[][]) => new Uint8Array([0x30, parts.flat().length, ...parts.flat()]);
    const integer = (value: number[]) => [0x02, value.length, ...value];
    const malformed = [
      new Uint8Array(),
      new Uint8Array([0x30, 0x00]),
      new Uint8Array([...signature, 0x00]),
      signature.subarray(0, signature.length - 1),
      new Uint8Array([0x31, ...signature.subarray(1)]),
      sequence(integer([0x00, 0x01, ...rBytes.slice(1)]), integer(sBytes)), // non-minimal
      sequence(integer([0x80, ...rBytes.slice(1)]), integer(sBytes)), // negative
      sequence(integer([0x00]), integer(sBytes)), // r = 0
      sequence(integer([0x00, ...bytes32(N)]), integer(sBytes)), // r = n
      sequence(integer(rBytes.map((b) => b & 0x7f)), integer([0x00])), // s = 0
      sequence(integer([]), integer(sBytes)),
      new Uint8Array([0x30, 0x44, 0x02, 0x50, ...rBytes, ...sBytes, 0, 0, 0, 0, 0, 0]),
      new Uint8Array(80).fill(0x30),
    ];
    for (const bad of malformed) {
      expect(verifyP256Digest(publicKey, digest, bad)).toBe(false);
    }
  });

  it('handles the degenerate sums: a zero digest, (e/r)·G equal to Q or to -Q', () => {
    const t = 123456789n;
    const zero = signWithNonce(0n, t);
    expect(verifyP256Digest(publicKey, bytes32(0n), der(zero.r, zero.s))).toBe(true);
    expect(noble(bytes32(0n), der(zero.r, zero.s))).toBe(true);
    // e = d·r makes (e/r)·G = Q: the sum is a doubling.
    const r = mod(p256.Point.BASE.multiply(t).toAffine().x);
    const doubling = signWithNonce(mod(secret * r), t);
    expect(verifyP256Digest(publicKey, bytes32(mod(secret * r)), der(doubling.r, doubling.s))).toBe(true);
    expect(noble(bytes32(mod(secret * r)), der(doubling.r, doubling.s))).toBe(true);
    // e = -d·r makes (e/r)·G = -Q: the sum is the point at infinity, never a valid signature.
    expect(verifyP256Digest(publicKey, bytes32(mod(-secret * r)), der(r, 5n))).toBe(false);
    expect(noble(bytes32(mod(-secret * r)), der(r, 5n))).toBe(false);
  });

  it('answers a batch job by job, sharing its inversions', () => {
    const verifier = createP256DigestVerifier(nodeCrypto);
    const good = Array.from({ length: 6 }, () => signed());
    const jobs = [
      { ...point, ...good[0]! },
      { ...point, digest: good[1]!.digest, signature: good[2]!.signature },
      { ...point, digest: good[3]!.digest, signature: new Uint8Array([1, 2, 3]) },
      { ...point, ...good[4]! },
      { x: point.x.subarray(1), y: point.y, ...good[5]! },
      { ...point, ...good[5]! },
    ];
    expect(verifier.verifyBatch(jobs)).toEqual([true, false, false, true, false, true]);
    expect(verifier.verifyBatch([])).toEqual([]);
  });
});
