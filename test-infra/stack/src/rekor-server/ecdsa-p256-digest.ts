// ECDSA P-256 verification over a digest the log is given (hashedrekord carries no artifact).
// node:crypto only verifies messages it hashes itself, and pure-JS verification costs
// milliseconds per signature on a small machine, several times the log's whole budget.
// Native scalar multiplications do the heavy part instead:
//   R = e/s·G + r/s·Q = u·T   with   T = Q + (e/r)·G   and   u = r/s,
// where (e/r)·G is an ECDH public key (fixed base) and x(u·T) is an ECDH shared secret.
// The signature is valid exactly when x(R) mod n = r, as in SEC 1 section 4.1.4.
import * as nodeCrypto from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface P256DigestJob {
  /** The public key's affine coordinates, 32 bytes each. */
  x: Uint8Array;
  y: Uint8Array;
  /** The signed digest; only its leftmost 256 bits count. */
  digest: Uint8Array;
  /** DER ECDSA-Sig-Value. */
  signature: Uint8Array;
}

export interface P256DigestVerifier {
  /** One result per job, in order; malformed signatures verify false. */
  verifyBatch(jobs: readonly P256DigestJob[]): boolean[];
}

/**
 * The verifier, self-contained (it uses nothing but its argument) so that a worker thread can
 * run its source text. Modular inverses are the costly part in BigInt arithmetic: a batch
 * shares them (Montgomery's trick), two per batch instead of two per signature.
 */
export function createP256DigestVerifier(crypto: typeof nodeCrypto): P256DigestVerifier {
  const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
  const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
  const ecdh = crypto.createECDH('prime256v1');

  type Point = { x: bigint; y: bigint };
  const mod = (value: bigint, modulus: bigint) => {
    const result = value % modulus;
    return result < 0n ? result + modulus : result;
  };
  const toBigInt = (bytes: Uint8Array) => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`));
  const toBytes32 = (value: bigint) => Buffer.from(value.toString(16).padStart(64, '0'), 'hex');
  const encodePoint = (point: Point) => Buffer.from(`04${point.x.toString(16).padStart(64, '0')}${point.y.toString(16).padStart(64, '0')}`, 'hex');

  const invert = (value: bigint, modulus: bigint) => {
    let r0 = modulus;
    let r1 = value;
    let t0 = 0n;
    let t1 = 1n;
    while (r1 !== 0n) {
      const q = r0 / r1;
      let next = r0 - q * r1;
      r0 = r1;
      r1 = next;
      next = t0 - q * t1;
      t0 = t1;
      t1 = next;
    }
    return t0 < 0n ? t0 + modulus : t0;
  };

  /** Inverses of non-zero values with one inversion. */
  const invertAll = (values: bigint[], modulus: bigint) => {
    const prefix: bigint[] = [];
    let product = 1n;
    for (const value of values) {
      prefix.push(product);
      product = (product * value) % modulus;
    }
    let inverse = invert(product, modulus);
    const out = new Array<bigint>(values.length);
    for (let i = values.length - 1; i >= 0; i--) {
      out[i] = (inverse * prefix[i]!) % modulus;
      inverse = (inverse * values[i]!) % modulus;
    }
    return out;
  };

  const readInteger = (der: Uint8Array, at: number) => {
    if (der[at] !== 0x02) return undefined;
    const length = der[at + 1] ?? 0;
    const start = at + 2;
    const end = start + length;
    if (length === 0 || length > 33 || end > der.length) return undefined;
    const first = der[start]!;
    if (first & 0x80) return undefined; // negative
    if (first === 0 && length > 1 && !(der[start + 1]! & 0x80)) return undefined; // not minimal
    return { value: toBigInt(der.subarray(start, end)), end };
  };

  /** Strict DER `SEQUENCE { INTEGER r, INTEGER s }` with 0 < r, s < n. */
  const readSignature = (der: Uint8Array) => {
    if (der.length < 8 || der.length > 72 || der[0] !== 0x30 || der[1] !== der.length - 2) return undefined;
    const r = readInteger(der, 2);
    const s = r && readInteger(der, r.end);
    if (!r || !s || s.end !== der.length) return undefined;
    if (r.value === 0n || r.value >= N || s.value === 0n || s.value >= N) return undefined;
    return { r: r.value, s: s.value };
  };

  /** k·G from ECDH's public-key derivation (OpenSSL's precomputed fixed-base tables). */
  const fixedBaseMultiple = (k: bigint): Point => {
    ecdh.setPrivateKey(toBytes32(k));
    const encoded = ecdh.getPublicKey();
    return { x: toBigInt(encoded.subarray(1, 33)), y: toBigInt(encoded.subarray(33, 65)) };
  };

  /** Affine a + b given 1 / (b.x - a.x), a.x != b.x. */
  const addWith = (a: Point, b: Point, inverseDx: bigint): Point => {
    const slope = mod((b.y - a.y) * inverseDx, P);
    const x = mod(slope * slope - a.x - b.x, P);
    return { x, y: mod(slope * (a.x - x) - a.y, P) };
  };

  /** a + b when a.x = b.x: 2a, or the point at infinity (null). */
  const sameX = (a: Point, b: Point): Point | null => {
    if (a.y !== b.y || a.y === 0n) return null;
    const slope = mod((3n * a.x * a.x - 3n) * invert(mod(2n * a.y, P), P), P);
    const x = mod(slope * slope - 2n * a.x, P);
    return { x, y: mod(slope * (a.x - x) - a.y, P) };
  };

  return {
    verifyBatch(jobs) {
      const results = jobs.map(() => false);
      const parsed: { index: number; r: bigint; s: bigint; e: bigint; q: Point }[] = [];
      jobs.forEach((job, index) => {
        const rs = readSignature(job.signature);
        if (!rs || job.x.length !== 32 || job.y.length !== 32) return;
        parsed.push({ index, ...rs, e: toBigInt(job.digest.subarray(0, 32)) % N, q: { x: toBigInt(job.x), y: toBigInt(job.y) } });
      });
      // 1/(r·s) gives 1/r and 1/s: k = e/r, u = r/s.
      const inverses = invertAll(
        parsed.map(({ r, s }) => (r * s) % N),
        N,
      );
      const steps = parsed.map(({ index, r, s, e, q }, i) => {
        const k = (e * s * inverses[i]!) % N;
        const u = (r * r * inverses[i]!) % N;
        return { index, r, u, q, kg: k === 0n ? undefined : fixedBaseMultiple(k) };
      });
      const adds = steps.filter((step) => step.kg && step.kg.x !== step.q.x);
      const inverseDx = invertAll(
        adds.map((step) => mod(step.kg!.x - step.q.x, P)),
        P,
      );
      const sums = new Map(adds.map((step, i) => [step, addWith(step.q, step.kg!, inverseDx[i]!)]));
      for (const step of steps) {
        const t = !step.kg ? step.q : (sums.get(step) ?? sameX(step.q, step.kg));
        if (!t) continue;
        ecdh.setPrivateKey(toBytes32(step.u));
        results[step.index] = toBigInt(ecdh.computeSecret(encodePoint(t))) % N === step.r;
      }
      return results;
    },
  };
}

let local: P256DigestVerifier | undefined;
const coordinates = new WeakMap<KeyObject, { x: Uint8Array; y: Uint8Array }>();

/** The affine coordinates of a P-256 public key, 32 bytes each (exported once per key). */
export function p256Coordinates(key: KeyObject): { x: Uint8Array; y: Uint8Array } {
  let point = coordinates.get(key);
  if (!point) {
    const jwk = key.export({ format: 'jwk' });
    point = { x: new Uint8Array(Buffer.from(jwk.x!, 'base64url')), y: new Uint8Array(Buffer.from(jwk.y!, 'base64url')) };
    coordinates.set(key, point);
  }
  return point;
}

/** Whether `signature` (DER, high-S allowed) is a P-256 ECDSA signature by `key` over `digest`, on this thread. */
export function verifyP256Digest(key: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  local ??= createP256DigestVerifier(nodeCrypto);
  return local.verifyBatch([{ ...p256Coordinates(key), digest, signature }])[0]!;
}
