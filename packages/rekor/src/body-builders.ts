import { HASH_SIZE, HASH_ALGORITHMS, type HashAlgorithm } from '@sigil/crypto';
import { canonicalJson, derToPem, encodeBase64, encodeHex, typeOf, utf8Encode } from '@sigil/encoding';
import { leafHash } from '@sigil/merkle';
import { RekorError } from './errors.js';
import { checkBytes, invalid } from './input-checks.js';
import { readVerifierPem } from './verifier-pem.js';

export interface HashedRekordV001Fields {
  /** Digest of the artifact. */
  digest: Uint8Array;
  algorithm: HashAlgorithm;
  /** Raw signature bytes (DER for ECDSA). */
  signature: Uint8Array;
  /** The signing certificate (or chain, leaf first) or public key, as PEM. */
  verifierPem: string;
}

/** The canonical hashedrekord 0.0.1 body, byte for byte as Rekor v1 stores it. */
export function hashedRekordV001Body(fields: HashedRekordV001Fields): Uint8Array {
  const { digest, algorithm, signature, verifierPem } = fields ?? ({} as HashedRekordV001Fields);
  if (!HASH_ALGORITHMS.includes(algorithm)) invalid(`hashedrekord algorithm: expected sha256, sha384 or sha512, found ${String(algorithm)}`);
  checkBytes(digest, 'hashedrekord digest', HASH_SIZE[algorithm]);
  return body('hashedrekord', {
    data: { hash: { algorithm, value: encodeHex(digest) } },
    signature: {
      content: encodeBase64(checkBytes(signature, 'hashedrekord signature')),
      publicKey: { content: canonicalPemBase64(verifierPem, 'hashedrekord verifierPem') },
    },
  });
}

export interface DsseV001Fields {
  /** SHA-256 of the envelope payload. */
  payloadHash: Uint8Array;
  /** SHA-256 of the envelope JSON as submitted. */
  envelopeHash: Uint8Array;
  signatures: { signature: Uint8Array; verifierPem: string }[];
}

/** The canonical dsse 0.0.1 body as Rekor v1 stores it: signatures sorted by their base64 text. */
export function dsseV001Body(fields: DsseV001Fields): Uint8Array {
  const { payloadHash, envelopeHash, signatures } = fields ?? ({} as DsseV001Fields);
  if (!Array.isArray(signatures) || signatures.length === 0) invalid(`dsse signatures: expected a non-empty array, found ${typeOf(signatures)}`);
  const items = signatures.map((item, i) => ({
    signature: encodeBase64(checkBytes(item?.signature, `dsse signatures[${i}].signature`)),
    verifier: canonicalPemBase64(item.verifierPem, `dsse signatures[${i}].verifierPem`),
  }));
  // Rekor keys its signatures by their text: one entry per distinct signature.
  const unique = [...new Map(items.map((item) => [item.signature, item])).values()];
  unique.sort((a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0));
  return body('dsse', {
    envelopeHash: { algorithm: 'sha256', value: encodeHex(checkBytes(envelopeHash, 'dsse envelopeHash', 32)) },
    payloadHash: { algorithm: 'sha256', value: encodeHex(checkBytes(payloadHash, 'dsse payloadHash', 32)) },
    signatures: unique,
  });
}

/** An entry's UUID in Rekor v1: the hex RFC 6962 leaf hash of its canonical body. */
export function entryUuid(body: Uint8Array): string {
  return encodeHex(leafHash(checkBytes(body, 'entry body')));
}

function body(kind: string, spec: object): Uint8Array {
  return utf8Encode(canonicalJson({ apiVersion: '0.0.1', kind, spec }));
}

/** Rekor re-encodes keys and certificates as canonical PEM (64-column lines) before logging. */
function canonicalPemBase64(pem: unknown, what: string): string {
  if (typeof pem !== 'string') invalid(`${what}: expected PEM text, found ${typeOf(pem)}`);
  const { label, blocks } = readVerifierPem(pem, (reason, cause) => {
    throw new RekorError('REKOR_INPUT_INVALID', `${what}: ${reason}`, { cause });
  });
  return encodeBase64(utf8Encode(blocks.map((block) => derToPem(block.der, label)).join('')));
}
