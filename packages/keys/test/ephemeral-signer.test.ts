import { createHash, createVerify, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hash, importPublicKeyPem, verifyDigestSignature, verifySignature } from '@sigil/crypto';
import { generateEphemeralSigner, KeysError, proofOfPossession, publicKeyPem, type KeysErrorCode } from '../src/index.js';

const data = new TextEncoder().encode('an artifact to sign');

async function expectKeysError(fn: () => Promise<unknown> | unknown, code: KeysErrorCode): Promise<KeysError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(KeysError);
  expect((thrown as KeysError).code).toBe(code);
  return thrown as KeysError;
}

describe('generateEphemeralSigner', () => {
  it.each([
    ['ECDSA_P256_SHA256', 'P-256', 'sha256'],
    ['ECDSA_P384_SHA384', 'P-384', 'sha384'],
  ] as const)('%s: signatures over data and over its digest verify with @sigil/crypto', async (algorithm, curve, alg) => {
    const signer = generateEphemeralSigner({ algorithm });
    expect(signer.algorithm).toBe(algorithm);
    expect(signer.publicKey).toMatchObject({ kind: 'ecdsa', curve, defaultHash: alg });
    expect(signer.spki).toEqual(signer.publicKey.spki);
    for (const signature of [await signer.sign(data), await signer.signDigest(hash(alg, data))]) {
      expect(signature[0]).toBe(0x30); // DER SEQUENCE
      expect(verifySignature(signer.publicKey, data, signature)).toBe(true);
      expect(await verifyDigestSignature(signer.publicKey, hash(alg, data), signature)).toBe(true);
      expect(verifySignature(signer.publicKey, data.subarray(1), signature)).toBe(false);
    }
  });

  it('is P-256 by default, and a new key every time', () => {
    const [a, b] = [generateEphemeralSigner(), generateEphemeralSigner()];
    expect(a.algorithm).toBe('ECDSA_P256_SHA256');
    expect(a.spki).not.toEqual(b.spki);
  });

  it('a digest computed while streaming a large file signs the same as the file itself', async () => {
    // The sign pipeline hashes a 1 GiB artifact once, in large chunks, and signs the digest:
    // here 64 chunks of 1 MiB, checked by node:crypto streaming the same chunks through a verifier.
    const chunk = randomBytes(1 << 20);
    const hasher = createHash('sha256');
    const verifier = createVerify('sha256');
    for (let i = 0; i < 64; i++) {
      chunk.writeUInt32BE(i, 0);
      hasher.update(chunk);
      verifier.update(chunk);
    }
    const signer = generateEphemeralSigner();
    const signature = await signer.signDigest(new Uint8Array(hasher.digest()));
    expect(verifier.verify({ key: signer.publicKey.keyObject, dsaEncoding: 'der' }, signature)).toBe(true);
  });

  it('refuses digests of the wrong size and data that is not bytes', async () => {
    const signer = generateEphemeralSigner();
    await expectKeysError(() => signer.signDigest(new Uint8Array(31)), 'KEYS_INVALID_DIGEST');
    await expectKeysError(() => signer.signDigest(hash('sha384', data)), 'KEYS_INVALID_DIGEST');
    await expectKeysError(() => signer.signDigest('abc' as never), 'KEYS_INVALID_DIGEST');
    await expectKeysError(() => generateEphemeralSigner({ algorithm: 'ECDSA_P384_SHA384' }).signDigest(hash('sha256', data)), 'KEYS_INVALID_DIGEST');
    await expectKeysError(() => signer.sign('abc' as never), 'KEYS_INVALID_INPUT');
  });

  it('refuses an algorithm it does not have', async () => {
    await expectKeysError(() => generateEphemeralSigner({ algorithm: 'ED25519' as never }), 'KEYS_UNSUPPORTED_ALGORITHM');
    await expectKeysError(() => generateEphemeralSigner({ algorithm: 'toString' as never }), 'KEYS_UNSUPPORTED_ALGORITHM');
  });
});

describe('the private key stays private', () => {
  const signer = generateEphemeralSigner();

  it('only public material sits in enumerable properties', () => {
    expect(Object.keys(signer).sort()).toEqual(['algorithm', 'hash', 'publicKey', 'spki']);
    expect(signer.publicKey.keyObject.type).toBe('public');
    expect(Object.isFrozen(signer)).toBe(true);
  });

  it('JSON, inspect, String and copies say it is redacted', () => {
    expect(JSON.parse(JSON.stringify({ signer }))).toEqual({ signer: { type: 'EphemeralSigner', algorithm: 'ECDSA_P256_SHA256', privateKey: '[redacted]' } });
    for (const shown of [inspect(signer, { showHidden: true, depth: Infinity }), String(signer), `${signer}`]) {
      expect(shown).toContain('redacted');
      expect(shown).not.toMatch(/PrivateKeyObject|PRIVATE KEY|"d":/);
    }
    // A spread or Object.assign copies own enumerable properties: the public ones.
    expect(Object.keys({ ...signer }).sort()).toEqual(['algorithm', 'hash', 'publicKey', 'spki']);
  });

  it('has no door to the key: no export, no private fields reachable', () => {
    const asRecord = signer as unknown as Record<string, unknown>;
    for (const name of ['privateKey', 'export', 'secret', 'scalar', 'key']) expect(asRecord[name]).toBeUndefined();
    expect(() => Object.assign(signer, { sign: () => undefined })).toThrow(TypeError);
  });
});

describe('proof of possession', () => {
  it('signs the UTF-8 bytes of the challenge, in DER, and verifies against the PEM Fulcio receives', async () => {
    const signer = generateEphemeralSigner();
    const challenge = 'project_path:my-group/my-project:ref_type:branch:ref:main';
    const pop = await proofOfPossession(signer, challenge);
    const pem = publicKeyPem(signer);
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n$/);
    const key = importPublicKeyPem(pem);
    expect(verifySignature(key, new TextEncoder().encode(challenge), pop)).toBe(true);
    expect(verifySignature(key, new TextEncoder().encode(`${challenge}x`), pop)).toBe(false);
  });

  it('an email challenge with non-ASCII characters, and P-384 with SHA-384', async () => {
    const signer = generateEphemeralSigner({ algorithm: 'ECDSA_P384_SHA384' });
    const pop = await proofOfPossession(signer, 'jürgen@example.com');
    expect(verifySignature(signer.publicKey, Buffer.from('jürgen@example.com', 'utf8'), pop, { hash: 'sha384' })).toBe(true);
  });

  it('refuses an empty or missing challenge', async () => {
    const signer = generateEphemeralSigner();
    await expectKeysError(() => proofOfPossession(signer, ''), 'KEYS_INVALID_INPUT');
    await expectKeysError(() => proofOfPossession(signer, undefined as never), 'KEYS_INVALID_INPUT');
  });
});
