import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { fromKeyObject, type PublicKey } from '@sigil/crypto';
import { decodeBase64, typeOf } from '@sigil/encoding';
import { RedactedSigner } from './redacted-signer.js';
import { KeysError } from './errors.js';
import { SIGNING_ALGORITHMS, type AlgorithmParameters, type EphemeralAlgorithm, type Signer } from './signer.js';
import type { HashAlgorithm } from '@sigil/crypto';

export interface EphemeralSignerOptions {
  /** ECDSA P-256 with SHA-256 unless told otherwise: what Fulcio issues for by default. */
  algorithm?: EphemeralAlgorithm;
}

/**
 * A fresh key pair held in memory for one signing, then dropped with the signer. The
 * private key lives in private fields only: it is never exported, logged or serialised,
 * and JSON.stringify and util.inspect show a redacted description.
 */
export function generateEphemeralSigner(options: EphemeralSignerOptions = {}): Signer {
  const algorithm = options.algorithm ?? 'ECDSA_P256_SHA256';
  if (!Object.hasOwn(SIGNING_ALGORITHMS, algorithm)) {
    throw new KeysError('KEYS_UNSUPPORTED_ALGORITHM', `ephemeral signer: expected ${Object.keys(SIGNING_ALGORITHMS).join(' or ')}, found ${String(algorithm)}`, {
      hint: 'Leave the algorithm out for ECDSA P-256, which every Sigstore instance accepts.',
    });
  }
  return new EphemeralSigner(algorithm);
}


class EphemeralSigner extends RedactedSigner implements Signer {
  readonly algorithm: EphemeralAlgorithm;
  readonly hash: HashAlgorithm;
  readonly publicKey: PublicKey;
  readonly spki: Uint8Array;
  readonly #params: AlgorithmParameters;
  readonly #privateKey: KeyObject;
  /** The private scalar for @noble/curves, taken out of the key object on the first digest signature. */
  #scalar: Uint8Array | undefined;

  constructor(algorithm: EphemeralAlgorithm) {
    super('EphemeralSigner');
    this.#params = SIGNING_ALGORITHMS[algorithm];
    this.hash = this.#params.hash;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: this.#params.namedCurve });
    this.#privateKey = privateKey;
    this.algorithm = algorithm;
    this.publicKey = fromKeyObject(publicKey, 'ephemeral public key');
    this.spki = this.publicKey.spki;
    // Signing a digest comes after a round trip to Fulcio: load @noble/curves meanwhile.
    void loadCurves().catch(() => undefined);
    Object.freeze(this);
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    if (!(data instanceof Uint8Array)) {
      throw new KeysError('KEYS_INVALID_INPUT', `sign: expected the data as a Uint8Array, found ${typeOf(data)}`, { hint: 'Pass the bytes to sign.' });
    }
    try {
      return new Uint8Array(nodeSign(this.#params.hash, data, { key: this.#privateKey, dsaEncoding: 'der' }));
    } catch (err) {
      throw signingFailed(err);
    }
  }

  async signDigest(digest: Uint8Array): Promise<Uint8Array> {
    const { digestSize, hash, nobleCurve } = this.#params;
    if (!(digest instanceof Uint8Array) || digest.length !== digestSize) {
      const found = digest instanceof Uint8Array ? `${digest.length} bytes` : typeOf(digest);
      throw new KeysError('KEYS_INVALID_DIGEST', `signDigest: expected a ${hash} digest of ${digestSize} bytes, found ${found}`, {
        details: { expected: digestSize, found },
        hint: `Hash the data with ${hash} first, or call sign() with the data itself.`,
      });
    }
    try {
      const curve = (await loadCurves())[nobleCurve];
      this.#scalar ??= scalarOf(this.#privateKey);
      // Every option pinned: the digest is not hashed again, DER out, low S, and hedged
      // nonces (RFC 6979 with fresh randomness mixed in).
      return curve.sign(digest, this.#scalar, { prehash: false, format: 'der', lowS: true, extraEntropy: true });
    } catch (err) {
      throw signingFailed(err);
    }
  }
}

let curves: Promise<typeof import('@noble/curves/nist.js')> | undefined;

function loadCurves() {
  curves ??= import('@noble/curves/nist.js');
  return curves;
}

function scalarOf(privateKey: KeyObject): Uint8Array {
  const { d } = privateKey.export({ format: 'jwk' });
  return decodeBase64(d!, 'private scalar');
}

function signingFailed(err: unknown): KeysError {
  // The cause stays out: a library's message about a failed signature could quote its inputs.
  const reason = err instanceof Error ? err.name : 'unknown error';
  return new KeysError('KEYS_SIGNING_FAILED', `ephemeral signer: signing failed (${reason})`, {
    hint: 'Generate a new signer and sign again; if it keeps failing, the Node.js crypto build may lack this curve.',
  });
}
