// Rekor v2 (rekor-tiles) canonical bodies: RFC 8785 of the protobuf JSON of an Entry, byte for
// byte as rekor-tiles logs them (its ToLogEntry: protojson.Marshal then JSON canonicalization).
import { HASH_SIZE, type HashAlgorithm } from '@sigil/crypto';
import { canonicalJson, encodeBase64, typeOf, utf8Encode } from '@sigil/encoding';
import { checkBytes, invalid } from './input-checks.js';

/** A v0.0.2 verifier: DER certificate or SubjectPublicKeyInfo, with its PublicKeyDetails name. */
export interface RawVerifier {
  type: 'certificate' | 'publicKey';
  der: Uint8Array;
  /** e.g. PKIX_ECDSA_P256_SHA_256. */
  keyDetails: string;
}

export interface HashedRekordV002Fields {
  /** What was signed, hashed with the verifier's algorithm (for DSSE: the PAE's digest). */
  digest: Uint8Array;
  signature: Uint8Array;
  verifier: RawVerifier;
}

export interface DsseV002Fields {
  /** SHA-256 of the envelope payload (rekor-tiles always uses SHA-256 here). */
  payloadHash: Uint8Array;
  signatures: { signature: Uint8Array; verifier: RawVerifier }[];
}

/** The digest algorithm each signing algorithm of a hashedrekord v0.0.2 prehashes with (sigstore's algorithm registry). */
export const KEY_DETAILS_HASH: Readonly<Record<string, HashAlgorithm>> = {
  PKIX_ECDSA_P256_SHA_256: 'sha256',
  PKIX_ECDSA_P384_SHA_384: 'sha384',
  PKIX_ECDSA_P521_SHA_512: 'sha512',
  PKIX_RSA_PKCS1V15_2048_SHA256: 'sha256',
  PKIX_RSA_PKCS1V15_3072_SHA256: 'sha256',
  PKIX_RSA_PKCS1V15_4096_SHA256: 'sha256',
  PKIX_RSA_PSS_2048_SHA256: 'sha256',
  PKIX_RSA_PSS_3072_SHA256: 'sha256',
  PKIX_RSA_PSS_4096_SHA256: 'sha256',
};

const PROTO_HASH_NAME: Record<HashAlgorithm, string> = { sha256: 'SHA2_256', sha384: 'SHA2_384', sha512: 'SHA2_512' };

/** The canonical hashedrekord 0.0.2 body. */
export function hashedRekordV002Body(fields: HashedRekordV002Fields): Uint8Array {
  const { digest, signature, verifier } = fields ?? ({} as HashedRekordV002Fields);
  const algorithm = KEY_DETAILS_HASH[verifier?.keyDetails];
  if (!algorithm) invalid(`hashedrekord keyDetails: expected a prehashing signing algorithm, found ${String(verifier?.keyDetails)}`);
  checkBytes(digest, 'hashedrekord digest', HASH_SIZE[algorithm]);
  return entry('hashedrekord', {
    hashedRekordV002: {
      data: { algorithm: PROTO_HASH_NAME[algorithm], digest: encodeBase64(digest) },
      signature: signatureJson(signature, verifier, 'hashedrekord'),
    },
  });
}

/** The canonical dsse 0.0.2 body: signatures in ascending order of their raw bytes, as rekor-tiles sorts them. */
export function dsseV002Body(fields: DsseV002Fields): Uint8Array {
  const { payloadHash, signatures } = fields ?? ({} as DsseV002Fields);
  if (!Array.isArray(signatures) || signatures.length === 0) invalid(`dsse signatures: expected a non-empty array, found ${typeOf(signatures)}`);
  const sorted = [...signatures].sort((a, b) => compareBytes(checkBytes(a?.signature, 'dsse signature'), checkBytes(b?.signature, 'dsse signature')));
  return entry('dsse', {
    dsseV002: {
      payloadHash: { algorithm: 'SHA2_256', digest: encodeBase64(checkBytes(payloadHash, 'dsse payloadHash', 32)) },
      signatures: sorted.map((item, i) => signatureJson(item.signature, item.verifier, `dsse signatures[${i}]`)),
    },
  });
}

/** protobuf JSON of a rekor.v2 Signature (also the request's form). */
export function signatureJson(signature: Uint8Array, verifier: RawVerifier, what: string): Record<string, unknown> {
  return { content: encodeBase64(checkBytes(signature, `${what} signature`)), verifier: verifierJson(verifier, what) };
}

/** protobuf JSON of a rekor.v2 Verifier. */
export function verifierJson(verifier: RawVerifier, what: string): Record<string, unknown> {
  if (typeof verifier !== 'object' || verifier === null) invalid(`${what} verifier: expected { type, der, keyDetails }, found ${typeOf(verifier)}`);
  if (typeof verifier.keyDetails !== 'string' || !/^[A-Z0-9_]+$/.test(verifier.keyDetails)) invalid(`${what} keyDetails: expected a PublicKeyDetails name`);
  const rawBytes = encodeBase64(checkBytes(verifier.der, `${what} verifier DER`));
  if (verifier.type === 'certificate') return { keyDetails: verifier.keyDetails, x509Certificate: { rawBytes } };
  if (verifier.type === 'publicKey') return { keyDetails: verifier.keyDetails, publicKey: { rawBytes } };
  return invalid(`${what} verifier type: expected certificate or publicKey, found ${String(verifier.type)}`);
}

/** Go's string order over raw bytes. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function entry(kind: string, spec: object): Uint8Array {
  return utf8Encode(canonicalJson({ apiVersion: '0.0.2', kind, spec }));
}
