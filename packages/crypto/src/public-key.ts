import { createPublicKey, type KeyObject } from 'node:crypto';
import { encodeBase64, pemToDer } from '@sigil/encoding';
import { CryptoError } from './errors.js';
import type { HashAlgorithm } from './hash.js';

export type Curve = 'P-256' | 'P-384' | 'P-521';

export type PublicKey =
  | { kind: 'ecdsa'; curve: Curve; spki: Uint8Array; keyObject: KeyObject; defaultHash: HashAlgorithm }
  | { kind: 'rsa'; bits: number; spki: Uint8Array; keyObject: KeyObject; defaultHash: HashAlgorithm }
  | { kind: 'ed25519'; spki: Uint8Array; keyObject: KeyObject; defaultHash: null };

const CURVES: Record<string, { curve: Curve; hash: HashAlgorithm }> = {
  prime256v1: { curve: 'P-256', hash: 'sha256' },
  secp384r1: { curve: 'P-384', hash: 'sha384' },
  secp521r1: { curve: 'P-521', hash: 'sha512' },
};

// Importing an SPKI key costs more than one verification, and the same few keys (log,
// CT log, CA) come up on every bundle: keep the imported objects.
const CACHE_LIMIT = 512;
const cache = new Map<string, PublicKey>();

/** Imports a DER SubjectPublicKeyInfo. Throws CryptoError for malformed or unsupported keys. */
export function importPublicKey(spki: Uint8Array, what = 'public key'): PublicKey {
  // A copy: the caller's buffer may change later, the key (and what is remembered of it) may not.
  spki = spki instanceof Uint8Array ? spki.slice() : spki;
  const cacheKey = encodeBase64(spki);
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const key = importP256Key(spki, what) ?? importAnyKey(spki, what);
  remember(cacheKey, key);
  return key;
}

function importAnyKey(spki: Uint8Array, what: string): PublicKey {
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (err) {
    throw new CryptoError('CRYPTO_INVALID_KEY', `${what}: not a valid DER SubjectPublicKeyInfo`, { cause: err });
  }
  return describeKey(keyObject, spki, what);
}

// Every Fulcio leaf brings a new key, on P-256. Its SPKI is a fixed prefix and the uncompressed
// point, so the curve is known from the prefix without asking the key object, and the point
// imports faster as a JWK than as DER (about 0.10 against 0.16 ms here). Other keys go through
// DER: for P-384 a JWK is the slower one (OpenSSL checks its point at twice the cost).
const P256_SPKI_PREFIX = fromHex('3059301306072a8648ce3d020106082a8648ce3d030107034200');
const P256_COORDINATE = 32;

/** The key when `spki` is exactly the P-256 prefix and an uncompressed point; else undefined. */
function importP256Key(spki: Uint8Array, what: string): PublicKey | undefined {
  const pointAt = P256_SPKI_PREFIX.length;
  if (spki.length !== pointAt + 1 + 2 * P256_COORDINATE || !startsWith(spki, P256_SPKI_PREFIX) || spki[pointAt] !== 0x04) return undefined;
  const x = Buffer.from(spki.buffer, spki.byteOffset + pointAt + 1, P256_COORDINATE);
  const y = Buffer.from(spki.buffer, spki.byteOffset + pointAt + 1 + P256_COORDINATE, P256_COORDINATE);
  let keyObject: KeyObject;
  try {
    // OpenSSL checks that the point is on the curve, for a JWK as for DER.
    keyObject = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: x.toString('base64url'), y: y.toString('base64url') }, format: 'jwk' });
  } catch (err) {
    throw new CryptoError('CRYPTO_INVALID_KEY', `${what}: not a valid P-256 public key`, { cause: err });
  }
  return { kind: 'ecdsa', curve: 'P-256', spki, keyObject, defaultHash: 'sha256' };
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Imports a `-----BEGIN PUBLIC KEY-----` PEM. */
export function importPublicKeyPem(pem: string, what = 'public key'): PublicKey {
  return importPublicKey(pemToDer(pem, 'PUBLIC KEY', what), what);
}

/**
 * Wraps a public key object Node produced (a fresh key pair's, say), exporting its SPKI once;
 * the key object itself is kept, not imported again from those bytes.
 */
export function fromKeyObject(keyObject: KeyObject, what = 'public key'): PublicKey {
  if (keyObject?.type !== 'public') {
    throw new CryptoError('CRYPTO_INVALID_KEY', `${what}: expected a public key object, found ${keyObject?.type ?? typeof keyObject}`);
  }
  const key = describeKey(keyObject, new Uint8Array(keyObject.export({ format: 'der', type: 'spki' })), what);
  // A signer's own key comes back in its certificate: later imports of it need no parse.
  remember(encodeBase64(key.spki), key);
  return key;
}

function remember(cacheKey: string, key: PublicKey): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cacheKey, key);
}

function describeKey(keyObject: KeyObject, spki: Uint8Array, what: string): PublicKey {
  const details = keyObject.asymmetricKeyDetails ?? {};
  switch (keyObject.asymmetricKeyType) {
    case 'ec': {
      const named = CURVES[details.namedCurve ?? ''];
      if (!named) {
        throw new CryptoError('CRYPTO_UNSUPPORTED_KEY', `${what}: expected an ECDSA key on P-256, P-384 or P-521, found curve ${details.namedCurve ?? 'unknown'}`);
      }
      return { kind: 'ecdsa', curve: named.curve, spki, keyObject, defaultHash: named.hash };
    }
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      if (bits < 2048) {
        throw new CryptoError('CRYPTO_UNSUPPORTED_KEY', `${what}: expected an RSA key of at least 2048 bits, found ${bits}`);
      }
      return { kind: 'rsa', bits, spki, keyObject, defaultHash: 'sha256' };
    }
    case 'ed25519':
      return { kind: 'ed25519', spki, keyObject, defaultHash: null };
    default:
      throw new CryptoError('CRYPTO_UNSUPPORTED_KEY', `${what}: expected an ECDSA, RSA or Ed25519 key, found ${keyObject.asymmetricKeyType ?? 'unknown'}`);
  }
}
