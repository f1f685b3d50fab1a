import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { p256 } from '@noble/curves/nist.js';
import {
  CryptoError,
  ecPublicKeyPoint,
  fromKeyObject,
  hash,
  importPublicKey,
  verifySignatureInBackground,
  importPublicKeyPem,
  verifyDigestSignature,
  verifySignature,
} from '../src/index.js';

const message = new TextEncoder().encode('sigil signs this');

function keyPair(type: 'ec' | 'rsa' | 'ed25519', options: object = {}) {
  const pair = generateKeyPairSync(type as 'ec', options as { namedCurve: string });
  return { privateKey: pair.privateKey, publicKey: fromKeyObject(pair.publicKey) };
}

describe('verifySignature and verifyDigestSignature', () => {
  it.each([
    ['P-256', 'prime256v1', 'sha256'],
    ['P-384', 'secp384r1', 'sha384'],
    ['P-521', 'secp521r1', 'sha512'],
  ] as const)('ECDSA %s with its default hash, over the message and over its digest', async (curve, namedCurve, alg) => {
    const { privateKey, publicKey } = keyPair('ec', { namedCurve });
    expect(publicKey).toMatchObject({ kind: 'ecdsa', curve, defaultHash: alg });
    const sig = new Uint8Array(sign(alg, message, privateKey));
    expect(verifySignature(publicKey, message, sig)).toBe(true);
    expect(await verifyDigestSignature(publicKey, hash(alg, message), sig)).toBe(true);
    expect(verifySignature(publicKey, message.subarray(1), sig)).toBe(false);
    expect(await verifyDigestSignature(publicKey, hash(alg, message.subarray(1)), sig)).toBe(false);
  });

  it('accepts high-S ECDSA signatures, as Go and OpenSSL signers produce them', async () => {
    const secret = p256.utils.randomSecretKey();
    const digest = hash('sha256', message);
    const low = p256.Signature.fromBytes(p256.sign(digest, secret, { prehash: false, lowS: true }), 'compact');
    const high = new p256.Signature(low.r, p256.Point.CURVE().n - low.s).toBytes('der');
    const spki = new Uint8Array(
      // SPKI header for an uncompressed P-256 point.
      Buffer.concat([Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'), Buffer.from(p256.getPublicKey(secret, false))]),
    );
    const key = importPublicKey(spki);
    expect(await verifyDigestSignature(key, digest, high)).toBe(true);
    expect(verifySignature(key, message, high)).toBe(true);
  });

  it('RSA PKCS#1 v1.5 over the message and over its digest; PSS over the message', async () => {
    const { privateKey, publicKey } = keyPair('rsa', { modulusLength: 2048 });
    const sig = new Uint8Array(sign('sha256', message, privateKey));
    expect(verifySignature(publicKey, message, sig)).toBe(true);
    expect(await verifyDigestSignature(publicKey, hash('sha256', message), sig)).toBe(true);
    expect(await verifyDigestSignature(publicKey, hash('sha256', message.subarray(1)), sig)).toBe(false);
    const pss = new Uint8Array(sign('sha256', message, { key: privateKey, padding: 6 }));
    expect(verifySignature(publicKey, message, pss, { rsaPadding: 'pss' })).toBe(true);
    expect(verifySignature(publicKey, message, pss)).toBe(false);
  });

  it('Ed25519 over the message; a digest alone is refused', async () => {
    const { privateKey, publicKey } = keyPair('ed25519');
    const sig = new Uint8Array(sign(null, message, privateKey));
    expect(verifySignature(publicKey, message, sig)).toBe(true);
    await expect(verifyDigestSignature(publicKey, hash('sha256', message), sig)).rejects.toThrow(CryptoError);
  });

  it('malformed signatures and digests of the wrong size verify false, never throw', async () => {
    const { publicKey } = keyPair('ec', { namedCurve: 'prime256v1' });
    for (const junk of [new Uint8Array(), new Uint8Array(3), new Uint8Array(200).fill(0x30)]) {
      expect(verifySignature(publicKey, message, junk)).toBe(false);
      expect(await verifyDigestSignature(publicKey, createHash('sha256').update(message).digest(), junk)).toBe(false);
    }
    expect(await verifyDigestSignature(publicKey, new Uint8Array(20), new Uint8Array(70))).toBe(false);
  });
});

describe('importPublicKey', () => {
  it('refuses garbage, small RSA keys and unsupported curves with typed errors', async () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as CryptoError).code;
      }
    };
    expect(codeOf(() => importPublicKey(new Uint8Array([0x30, 0x03, 0x01, 0x01, 0x00])))).toBe('CRYPTO_INVALID_KEY');
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' });
    expect(codeOf(() => importPublicKey(new Uint8Array(small)))).toBe('CRYPTO_UNSUPPORTED_KEY');
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'der' });
    expect(codeOf(() => importPublicKey(new Uint8Array(k1)))).toBe('CRYPTO_UNSUPPORTED_KEY');
    expect(codeOf(() => importPublicKeyPem('nope'))).toBe('ENCODING_INVALID_PEM');
  });

  it('imports named-curve keys from their point (the fast path) exactly as from DER, and refuses points off the curve', () => {
    for (const [namedCurve, curve, hash] of [['prime256v1', 'P-256', 'sha256'], ['secp384r1', 'P-384', 'sha384'], ['secp521r1', 'P-521', 'sha512']] as const) {
      const pair = generateKeyPairSync('ec', { namedCurve });
      const spki = new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' }));
      const key = importPublicKey(spki);
      expect(key).toMatchObject({ kind: 'ecdsa', curve, defaultHash: hash });
      expect(key.keyObject.equals(pair.publicKey)).toBe(true);
      const data = new TextEncoder().encode(namedCurve);
      expect(verifySignature(key, data, new Uint8Array(sign(hash, data, pair.privateKey)))).toBe(true);
      const offCurve = spki.slice();
      offCurve[offCurve.length - 1]! ^= 1;
      expect(() => importPublicKey(offCurve)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_KEY' }));
    }
  });

  it('remembers a copy of what verified: a caller changing its buffer afterwards is checked again', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = importPublicKey(new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })));
    const data = new TextEncoder().encode('a log entry payload');
    const signature = new Uint8Array(sign('sha256', data, pair.privateKey));
    expect(verifySignature(key, data, signature)).toBe(true);
    data[0]! ^= 1;
    expect(verifySignature(key, data, signature)).toBe(false);
  });

  it('verifySignatureInBackground agrees with verifySignature and never rejects', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const key = importPublicKey(new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })));
    const data = new TextEncoder().encode('tbs');
    const signature = new Uint8Array(sign('sha384', data, pair.privateKey));
    expect(await verifySignatureInBackground(key, data, signature)).toBe(true);
    expect(await verifySignatureInBackground(key, new TextEncoder().encode('other'), signature)).toBe(false);
    expect(await verifySignatureInBackground(key, data, signature.subarray(1))).toBe(false);
    expect(await verifySignatureInBackground(key, data, signature, { hash: 'sha256' })).toBe(false);
    expect(await verifySignatureInBackground({ kind: 'ecdsa' } as never, data, signature)).toBe(false);
  });

  it('returns the same object for the same key (the import is cached)', async () => {
    const spki = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }));
    expect(importPublicKey(spki)).toBe(importPublicKey(spki.slice()));
  });
});

describe('fromKeyObject', () => {
  it('keeps the key object it was given, with the SPKI that object exports', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = fromKeyObject(pair.publicKey);
    expect(key.keyObject).toBe(pair.publicKey);
    expect(key).toMatchObject({ kind: 'ecdsa', curve: 'P-256' });
    expect(Buffer.from(key.spki)).toEqual(pair.publicKey.export({ type: 'spki', format: 'der' }));
  });

  it('refuses a private key object, and keys of unsupported kinds', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as CryptoError).code;
      }
    };
    expect(codeOf(() => fromKeyObject(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey))).toBe('CRYPTO_INVALID_KEY');
    expect(codeOf(() => fromKeyObject(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey))).toBe('CRYPTO_UNSUPPORTED_KEY');
  });
});

describe('verifySignature remembers successes only for identical inputs', () => {
  it('verifies again with any input changed: data, signature, hash or key', () => {
    const { privateKey, publicKey } = keyPair('ec', { namedCurve: 'P-256' });
    const other = keyPair('ec', { namedCurve: 'P-256' }).publicKey;
    const signature = new Uint8Array(sign('sha256', message, privateKey));
    expect(verifySignature(publicKey, message, signature)).toBe(true);
    expect(verifySignature(publicKey, message, signature)).toBe(true);
    const changed = message.slice();
    changed[0]! ^= 1;
    expect(verifySignature(publicKey, changed, signature)).toBe(false);
    expect(verifySignature(publicKey, message, signature, { hash: 'sha384' })).toBe(false);
    expect(verifySignature(other, message, signature)).toBe(false);
    const longer = new Uint8Array([...signature, 0]);
    expect(verifySignature(publicKey, message, longer)).toBe(false);
  });
});

describe('what is remembered cannot be moved to another key', () => {
  it('a success with one key never answers for another, even when the bytes it was imported from change', () => {
    const a = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const b = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const buffer = new Uint8Array(a.publicKey.export({ type: 'spki', format: 'der' }));
    const keyA = importPublicKey(buffer);
    buffer.set(new Uint8Array(b.publicKey.export({ type: 'spki', format: 'der' })));
    const signature = new Uint8Array(sign('sha256', message, a.privateKey));
    expect(verifySignature(keyA, message, signature)).toBe(true);
    const keyB = importPublicKey(new Uint8Array(b.publicKey.export({ type: 'spki', format: 'der' })));
    expect(verifySignature(keyB, message, signature)).toBe(false);
  });
});

describe('ecPublicKeyPoint', () => {
  it('gives the uncompressed point of an ECDSA key, and refuses other keys', () => {
    const p256 = keyPair('ec', { namedCurve: 'P-256' }).publicKey;
    const point = ecPublicKeyPoint(p256);
    expect([point.length, point[0]]).toEqual([65, 4]);
    expect(Buffer.from(point.subarray(1, 33)).toString('base64url')).toBe(p256.keyObject.export({ format: 'jwk' }).x);
    expect(ecPublicKeyPoint(keyPair('ec', { namedCurve: 'P-384' }).publicKey)).toHaveLength(97);
    expect(() => ecPublicKeyPoint(keyPair('ed25519').publicKey)).toThrow(CryptoError);
  });
});
