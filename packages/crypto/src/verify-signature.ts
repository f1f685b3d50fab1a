import { constants, publicDecrypt, verify as nodeVerify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { bytesEqual, concatBytes } from '@sigil/encoding';
import { CryptoError } from './errors.js';
import { HASH_SIZE, type HashAlgorithm } from './hash.js';
import type { Curve, PublicKey } from './public-key.js';

export interface SignatureOptions {
  /** The hash the signer used. Defaults to the key's own (P-256: SHA-256, P-384: SHA-384, ...). */
  hash?: HashAlgorithm;
  /** RSA only: PKCS#1 v1.5 (the default, what Sigstore means by RSA) or PSS. */
  rsaPadding?: 'pkcs1' | 'pss';
}

/**
 * Verifies a signature over `data`. ECDSA signatures are DER and may be high-S (Go and
 * OpenSSL signers do not normalise S). Malformed signatures verify false; they never throw.
 */
export function verifySignature(key: PublicKey, data: Uint8Array, signature: Uint8Array, options: SignatureOptions = {}): boolean {
  const memo = memoKey(key, data, signature, options);
  const remembered = memo === undefined ? undefined : verified.get(key.keyObject);
  if (memo !== undefined && sameBytes(remembered?.get(memo), data)) return true;
  const valid = verifyOnce(key, data, signature, options);
  if (valid && memo !== undefined) {
    let entries = remembered;
    if (!entries) verified.set(key.keyObject, (entries = new Map()));
    if (entries.size >= MEMO_LIMIT) entries.clear();
    entries.set(memo, data.slice());
  }
  return valid;
}

// A signer's self-check verifies again the SET, checkpoint, SCT and timestamp it checked a
// moment before, and a service sees the same bundle more than once: remember the small
// verifications that succeeded. Per key object (immutable, and what the check ran with),
// keyed by the options and the signature, holding a copy of the data, which must be equal
// byte for byte to hit. (Hashing the data for the key cost more than a miss does now, and on
// distinct bundles every lookup misses.)
const MEMO_LIMIT = 1024;
const MEMO_MAX_DATA = 16 * 1024;
const verified = new WeakMap<object, Map<string, Uint8Array>>();

function memoKey(key: PublicKey, data: Uint8Array, signature: Uint8Array, options: SignatureOptions): string | undefined {
  if (!(data instanceof Uint8Array) || !(signature instanceof Uint8Array) || data.length > MEMO_MAX_DATA || typeof key?.keyObject !== 'object') return undefined;
  return `${key.kind}|${options.hash ?? key.defaultHash}|${options.rsaPadding ?? ''}|${Buffer.from(signature.buffer, signature.byteOffset, signature.length).toString('base64')}`;
}

function sameBytes(remembered: Uint8Array | undefined, data: Uint8Array): boolean {
  return remembered !== undefined && Buffer.from(remembered.buffer, remembered.byteOffset, remembered.length).equals(data);
}

function verifyOnce(key: PublicKey, data: Uint8Array, signature: Uint8Array, options: SignatureOptions): boolean {
  try {
    const [algorithm, keyInput] = nodeArguments(key, options);
    return nodeVerify(algorithm, data, keyInput, signature);
  } catch {
    return false;
  }
}

/**
 * verifySignature on libuv's thread pool: start it early, await it late, and the main thread
 * does other checks meanwhile (a P-384 certificate signature is the costliest check of a
 * bundle). Resolves false for a bad or malformed signature; never rejects. Not remembered:
 * callers keep what they need.
 */
export function verifySignatureInBackground(key: PublicKey, data: Uint8Array, signature: Uint8Array, options: SignatureOptions = {}): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const [algorithm, keyInput] = nodeArguments(key, options);
      nodeVerify(algorithm, data, keyInput, signature, (err, valid) => resolve(!err && valid === true));
    } catch {
      resolve(false);
    }
  });
}

function nodeArguments(key: PublicKey, options: SignatureOptions): [string | null, KeyObject | VerifyKeyObjectInput] {
  switch (key.kind) {
    case 'ed25519':
      return [null, key.keyObject];
    case 'ecdsa':
      return [options.hash ?? key.defaultHash, { key: key.keyObject, dsaEncoding: 'der' }];
    case 'rsa':
      return [options.hash ?? key.defaultHash, { key: key.keyObject, padding: rsaPadding(options) }];
  }
}

/**
 * Verifies a signature made over a digest the caller already has (a `sha256:` input, or
 * an artifact hashed in one streaming pass). node:crypto cannot verify a precomputed
 * ECDSA digest, so @noble/curves does, with every option pinned: DER input, high-S allowed.
 * Asynchronous because @noble/curves is loaded on first use: building its curves costs a
 * few milliseconds that a command verifying a small file should not pay.
 */
export async function verifyDigestSignature(key: PublicKey, digest: Uint8Array, signature: Uint8Array, options: SignatureOptions = {}): Promise<boolean> {
  const hashAlg = options.hash ?? key.defaultHash;
  if (key.kind === 'ed25519' || hashAlg === null) {
    throw new CryptoError('CRYPTO_UNSUPPORTED_OPERATION', 'Ed25519 signatures cover the whole message: a digest alone cannot be verified');
  }
  if (digest.length !== HASH_SIZE[hashAlg]) return false;
  try {
    if (key.kind === 'ecdsa') {
      const curve = await curveOf(key.curve);
      return curve.verify(signature, digest, ecPublicKeyPoint(key), { lowS: false, prehash: false, format: 'der' });
    }
    if (rsaPadding(options) !== constants.RSA_PKCS1_PADDING) {
      throw new CryptoError('CRYPTO_UNSUPPORTED_OPERATION', 'RSA-PSS over a precomputed digest is not supported: give the artifact itself');
    }
    // PKCS#1 v1.5: the signature opens to DigestInfo(hash OID, digest); compare it whole.
    const opened = publicDecrypt({ key: key.keyObject, padding: constants.RSA_PKCS1_PADDING }, signature);
    return bytesEqual(new Uint8Array(opened), concatBytes(DIGEST_INFO_PREFIX[hashAlg], digest));
  } catch (err) {
    if (err instanceof CryptoError) throw err;
    return false;
  }
}

/**
 * DER DigestInfo headers (RFC 8017 section 9.2 note 1): an RSA PKCS#1 v1.5 signature over a
 * digest is the private-key operation on prefix || digest.
 */
export const DIGEST_INFO_PREFIX: Readonly<Record<HashAlgorithm, Uint8Array>> = {
  sha256: Uint8Array.from([0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]),
  sha384: Uint8Array.from([0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30]),
  sha512: Uint8Array.from([0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40]),
};

function rsaPadding(options: SignatureOptions): number {
  return options.rsaPadding === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
}

let nist: Promise<typeof import('@noble/curves/nist.js')> | undefined;

async function curveOf(curve: Curve) {
  nist ??= import('@noble/curves/nist.js');
  const { p256, p384, p521 } = await nist;
  return curve === 'P-256' ? p256 : curve === 'P-384' ? p384 : p521;
}

const points = new WeakMap<PublicKey, Uint8Array>();

/** An ECDSA key's uncompressed point (0x04 || x || y), what @noble/curves takes; derived once per key. */
export function ecPublicKeyPoint(key: PublicKey): Uint8Array {
  if (key?.kind !== 'ecdsa') throw new CryptoError('CRYPTO_UNSUPPORTED_OPERATION', `an EC point: expected an ECDSA key, found ${key?.kind ?? typeof key}`);
  let point = points.get(key);
  if (!point) {
    const jwk = key.keyObject.export({ format: 'jwk' });
    point = concatBytes(Uint8Array.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url'));
    points.set(key, point);
  }
  return point;
}
