import { createPublicKey, privateEncrypt, sign as nodeSign, constants, type KeyObject } from 'node:crypto';
import { DIGEST_INFO_PREFIX, fromKeyObject, HASH_SIZE, type HashAlgorithm, type PublicKey } from '@sigil/crypto';
import { concatBytes, decodeBase64, typeOf } from '@sigil/encoding';
import { RedactedSigner } from '../redacted-signer.js';
import { KeysError } from '../errors.js';
import type { Signer, SigningAlgorithm } from '../signer.js';

// The hash cosign pairs with each key (sigstore's LoadDefaultSignerVerifier).
const EC_ALGORITHMS: Record<string, { algorithm: SigningAlgorithm; hash: HashAlgorithm }> = {
  prime256v1: { algorithm: 'ECDSA_P256_SHA256', hash: 'sha256' },
  secp384r1: { algorithm: 'ECDSA_P384_SHA384', hash: 'sha384' },
  secp521r1: { algorithm: 'ECDSA_P521_SHA512', hash: 'sha512' },
};

const NOBLE_CURVES: Partial<Record<SigningAlgorithm, 'p256' | 'p384' | 'p521'>> = { ECDSA_P256_SHA256: 'p256', ECDSA_P384_SHA384: 'p384', ECDSA_P521_SHA512: 'p521' };


/**
 * A Signer over a long-lived private key (from a cosign key file). ECDSA keys sign with the
 * curve's hash, RSA with PKCS#1 v1.5 and SHA-256, as cosign does. Ed25519 is refused: cosign
 * signs with Ed25519ph for Rekor, which node:crypto cannot do over a streamed digest.
 */
export function keyFileSigner(privateKey: KeyObject, what = 'private key'): Signer {
  if (privateKey?.type !== 'private') {
    throw new KeysError('KEYS_INVALID_INPUT', `${what}: expected a private key object, found ${typeOf(privateKey)}`);
  }
  return new KeyFileSigner(privateKey, what);
}

class KeyFileSigner extends RedactedSigner implements Signer {
  readonly algorithm: SigningAlgorithm;
  readonly hash: HashAlgorithm;
  readonly publicKey: PublicKey;
  readonly spki: Uint8Array;
  readonly #privateKey: KeyObject;
  /** The private scalar for @noble/curves, taken out of the key object on the first digest signature. */
  #scalar: Uint8Array | undefined;

  constructor(privateKey: KeyObject, what: string) {
    super('KeyFileSigner');
    const type = privateKey.asymmetricKeyType;
    if (type === 'ec') {
      const chosen = EC_ALGORITHMS[privateKey.asymmetricKeyDetails?.namedCurve ?? ''];
      if (!chosen) throw new KeysError('KEYS_UNSUPPORTED_ALGORITHM', `${what}: expected an ECDSA key on P-256, P-384 or P-521, found ${privateKey.asymmetricKeyDetails?.namedCurve ?? 'unknown curve'}`);
      ({ algorithm: this.algorithm, hash: this.hash } = chosen);
    } else if (type === 'rsa') {
      this.algorithm = 'RSA_PKCS1V15_SHA256';
      this.hash = 'sha256';
    } else {
      throw new KeysError('KEYS_UNSUPPORTED_ALGORITHM', `${what}: signing with ${type ?? 'this'} keys is not supported: expected ECDSA or RSA`, {
        hint: type === 'ed25519' ? 'cosign signs with Ed25519ph for the transparency log, which Sigil does not do; use an ECDSA P-256 key (sigil generate-key-pair).' : 'Use an ECDSA P-256 key (sigil generate-key-pair).',
      });
    }
    this.#privateKey = privateKey;
    this.publicKey = fromKeyObject(createPublicKey(privateKey), `${what} (public part)`);
    this.spki = this.publicKey.spki;
    Object.freeze(this);
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    if (!(data instanceof Uint8Array)) throw new KeysError('KEYS_INVALID_INPUT', `sign: expected the data as a Uint8Array, found ${typeOf(data)}`);
    try {
      return new Uint8Array(nodeSign(this.hash, data, { key: this.#privateKey, dsaEncoding: 'der', padding: constants.RSA_PKCS1_PADDING }));
    } catch (err) {
      throw signingFailed(err);
    }
  }

  async signDigest(digest: Uint8Array): Promise<Uint8Array> {
    const size = HASH_SIZE[this.hash];
    if (!(digest instanceof Uint8Array) || digest.length !== size) {
      const found = digest instanceof Uint8Array ? `${digest.length} bytes` : typeOf(digest);
      throw new KeysError('KEYS_INVALID_DIGEST', `signDigest: expected a ${this.hash} digest of ${size} bytes, found ${found}`);
    }
    try {
      if (this.algorithm === 'RSA_PKCS1V15_SHA256') {
        return new Uint8Array(privateEncrypt({ key: this.#privateKey, padding: constants.RSA_PKCS1_PADDING }, concatBytes(DIGEST_INFO_PREFIX.sha256, digest)));
      }
      // node:crypto always hashes what it signs: a precomputed digest goes through @noble/curves.
      const curve = (await import('@noble/curves/nist.js'))[NOBLE_CURVES[this.algorithm]!];
      this.#scalar ??= decodeBase64(this.#privateKey.export({ format: 'jwk' }).d!, 'private scalar');
      return curve.sign(digest, this.#scalar, { prehash: false, format: 'der', lowS: true, extraEntropy: true });
    } catch (err) {
      throw signingFailed(err);
    }
  }
}

function signingFailed(err: unknown): KeysError {
  const reason = err instanceof Error ? err.name : 'unknown error';
  return new KeysError('KEYS_SIGNING_FAILED', `key file signer: signing failed (${reason})`);
}
