import { createVerify, scryptSync, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { hash, importPublicKeyPem, verifySignature } from '@sigil/crypto';
import {
  decryptPrivateKey,
  encryptPrivateKey,
  generateKeyPair,
  importKeyPair,
  keyFileSigner,
  KeysError,
  loadPrivateKey,
  type KeysErrorCode,
} from '../src/index.js';

const vector = (name: string) => readFileSync(new URL(`./fixtures/cosign/${name}.pem`, import.meta.url), 'utf8');
const hello = new TextEncoder().encode('hello');
const wrong = new TextEncoder().encode('hellO');
const data = new TextEncoder().encode('an artifact signed with a key file');

async function expectKeysError(fn: () => Promise<unknown>, code: KeysErrorCode, message?: RegExp): Promise<KeysError> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeysError);
  expect((err as KeysError).code).toBe(code);
  if (message) expect((err as KeysError).message).toMatch(message);
  return err as KeysError;
}

/** An independent reader of the format, written from its description (go-securesystemslib's `encrypted`). */
function openIndependently(pem: string, password: string): Buffer {
  const body = pem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
  const doc = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
  expect(Object.keys(doc)).toEqual(['kdf', 'cipher', 'ciphertext']);
  expect(doc.kdf.name).toBe('scrypt');
  expect(doc.cipher.name).toBe('nacl/secretbox');
  const { N, r, p } = doc.kdf.params;
  const key = scryptSync(password, Buffer.from(doc.kdf.salt, 'base64'), 32, { N, r, p, maxmem: 512 * 1024 * 1024 });
  return Buffer.from(xsalsa20poly1305(key, Buffer.from(doc.cipher.nonce, 'base64')).decrypt(Buffer.from(doc.ciphertext, 'base64')));
}

describe("cosign's encrypted key vectors (password hello)", () => {
  it.each(['pemcosignkey', 'pemsigstorekey'])('%s decrypts and loads as cosign does', async (name) => {
    const key = await loadPrivateKey(vector(name), hello);
    expect(key.type).toBe('private');
    const signer = keyFileSigner(key);
    const signature = await signer.sign(data);
    expect(verifySignature(signer.publicKey, data, signature)).toBe(true);
  });

  it('reads both labels', async () => {
    expect((await decryptPrivateKey(vector('pemcosignkey'), hello)).label).toBe('ENCRYPTED COSIGN PRIVATE KEY');
    expect((await decryptPrivateKey(vector('pemsigstorekey'), hello)).label).toBe('ENCRYPTED SIGSTORE PRIVATE KEY');
  });

  it('pemcosigneckey decrypts but holds no PKCS#8 key, which cosign refuses too', async () => {
    await expectKeysError(() => loadPrivateKey(vector('pemcosigneckey'), hello), 'KEYS_INVALID_KEY_FILE', /parsing private key/);
  });

  it.each(['pemcosignkey', 'pemsigstorekey', 'pemcosigneckey'])('%s with a wrong password is KEYS_WRONG_PASSWORD', async (name) => {
    const err = await expectKeysError(() => loadPrivateKey(vector(name), wrong), 'KEYS_WRONG_PASSWORD');
    expect(err.message).not.toContain('hellO');
  });
});

describe('import-key-pair inputs from cosign', () => {
  it.each(['validrsa', 'validrsapkcs1', 'validrsapkcs8', 'validecp256', 'validecp384', 'validecp521', 'validecpkcs8', 'ed25519key'])(
    '%s imports, and the encrypted result loads back to the same key',
    async (name) => {
      const files = await importKeyPair(vector(name), hello);
      expect(files.privateKeyPem).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
      expect(files.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      const loaded = await loadPrivateKey(files.privateKeyPem, hello);
      const original = createPrivateKey(vector(name));
      expect(loaded.export({ format: 'jwk' })).toEqual(original.export({ format: 'jwk' }));
    },
  );

  it.each([
    ['invalidrsawithpubkey', 'KEYS_UNSUPPORTED_KEY', /unsupported private key/],
    ['invalidrsasmallkey', 'KEYS_UNSUPPORTED_KEY', /RSA key size not supported.*found 1024/],
    ['invalidrsalargekey', 'KEYS_UNSUPPORTED_KEY', /RSA key size not supported.*found 5120/],
    ['invalidecp224', 'KEYS_UNSUPPORTED_KEY', /ECDSA curve not allowed.*secp224r1/],
    ['invalidecunsupported', 'KEYS_UNSUPPORTED_KEY', /ECDSA curve not allowed.*secp256k1/],
    ['invalidkey', 'KEYS_INVALID_KEY_FILE', /invalid PEM block/],
  ] as const)('%s is refused (%s)', async (name, code, message) => {
    await expectKeysError(() => importKeyPair(vector(name), hello), code, message);
  });
});

describe('generate-key-pair output', () => {
  it('opens with an independent reader, and signs like cosign (ECDSA P-256, SHA-256)', async () => {
    const files = await generateKeyPair(hello);
    const pkcs8 = openIndependently(files.privateKeyPem, 'hello');
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const signer = keyFileSigner(await loadPrivateKey(files.privateKeyPem, hello));
    const digestSignature = await signer.signDigest(hash('sha256', data));
    const verifier = createVerify('sha256').update(data);
    expect(verifier.verify(files.publicKeyPem, Buffer.from(digestSignature))).toBe(true);
    expect(signer.publicKey.spki).toEqual(importPublicKeyPem(files.publicKeyPem).spki);
  });

  it('writes the scrypt parameters cosign writes today and a fresh salt and nonce each time', async () => {
    const a = JSON.parse(Buffer.from((await generateKeyPair(hello)).privateKeyPem.split('\n').slice(1, -2).join(''), 'base64').toString());
    const b = JSON.parse(Buffer.from((await generateKeyPair(hello)).privateKeyPem.split('\n').slice(1, -2).join(''), 'base64').toString());
    expect(a.kdf.params).toEqual({ N: 65536, r: 8, p: 1 });
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.cipher.nonce).not.toBe(b.cipher.nonce);
  });

  it('an empty password works (cosign allows it) and is still a password', async () => {
    const files = await generateKeyPair(new Uint8Array());
    await loadPrivateKey(files.privateKeyPem, new Uint8Array());
    await expectKeysError(() => loadPrivateKey(files.privateKeyPem, hello), 'KEYS_WRONG_PASSWORD');
  });
});

describe('hostile key files', () => {
  const encode = (doc: unknown) => `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${Buffer.from(JSON.stringify(doc)).toString('base64')}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
  const good = () => JSON.parse(Buffer.from(vector('pemsigstorekey').split('\n').slice(1, -2).join(''), 'base64').toString());

  it('refuses scrypt parameters go-securesystemslib refuses, before spending memory on them', async () => {
    const doc = good();
    doc.kdf.params.N = 2 ** 30;
    await expectKeysError(() => loadPrivateKey(encode(doc), hello), 'KEYS_INVALID_KEY_FILE', /unsupported scrypt parameters N=1073741824/);
  });

  it.each([
    ['another kdf', (d: any) => (d.kdf.name = 'argon2'), /kdf name "scrypt"/],
    ['another cipher', (d: any) => (d.cipher.name = 'aes'), /cipher name "nacl\/secretbox"/],
    ['a short nonce', (d: any) => (d.cipher.nonce = 'AAAA'), /24-byte nonce/],
    ['no ciphertext', (d: any) => delete d.ciphertext, /"ciphertext"/],
    ['a number for the salt', (d: any) => (d.kdf.salt = 5), /"salt" as base64/],
  ])('%s is KEYS_INVALID_KEY_FILE', async (_, mutate, message) => {
    const doc = good();
    mutate(doc);
    await expectKeysError(() => loadPrivateKey(encode(doc), hello), 'KEYS_INVALID_KEY_FILE', message);
  });

  it('a flipped ciphertext byte reads as a wrong password, never as a key', async () => {
    const doc = good();
    const bytes = Buffer.from(doc.ciphertext, 'base64');
    bytes[5]! ^= 1;
    doc.ciphertext = bytes.toString('base64');
    await expectKeysError(() => loadPrivateKey(encode(doc), hello), 'KEYS_WRONG_PASSWORD');
  });

  it('a plain private key passed as a key file points to import-key-pair', async () => {
    const err = await expectKeysError(() => loadPrivateKey(vector('validecp256'), hello), 'KEYS_INVALID_KEY_FILE');
    expect(err.hint).toMatch(/import-key-pair/);
  });
});

describe('keyFileSigner', () => {
  it.each([
    ['validecp256', 'ECDSA_P256_SHA256', 'sha256'],
    ['validecp384', 'ECDSA_P384_SHA384', 'sha384'],
    ['validecp521', 'ECDSA_P521_SHA512', 'sha512'],
    ['validrsapkcs8', 'RSA_PKCS1V15_SHA256', 'sha256'],
  ] as const)('%s signs data and digests that verify (%s)', async (name, algorithm, alg) => {
    const signer = keyFileSigner(createPrivateKey(vector(name)));
    expect(signer.algorithm).toBe(algorithm);
    expect(signer.hash).toBe(alg);
    for (const signature of [await signer.sign(data), await signer.signDigest(hash(alg, data))]) {
      expect(verifySignature(signer.publicKey, data, signature, { hash: alg })).toBe(true);
    }
  });

  it('refuses Ed25519 with the reason, and never shows the key', async () => {
    const err = await expectKeysError(async () => keyFileSigner(createPrivateKey(vector('ed25519key'))), 'KEYS_UNSUPPORTED_ALGORITHM');
    expect(err.hint).toMatch(/Ed25519ph/);
    const signer = keyFileSigner(createPrivateKey(vector('validecp256')));
    expect(JSON.stringify(signer)).toContain('[redacted]');
    expect(inspect(signer)).toContain('redacted');
  });

  it('a digest of the wrong size is KEYS_INVALID_DIGEST', async () => {
    const signer = keyFileSigner(createPrivateKey(vector('validecp384')));
    await expectKeysError(() => signer.signDigest(hash('sha256', data)), 'KEYS_INVALID_DIGEST');
  });
});
