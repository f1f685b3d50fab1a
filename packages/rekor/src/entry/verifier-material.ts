import { HASH_SIZE, type HashAlgorithm } from '@sigil/crypto';
import { utf8Decode } from '@sigil/encoding';
import { RekorError } from '../errors.js';
import { readVerifierPem } from '../verifier-pem.js';
import type { JsonReader } from './json-reader.js';
import type { Digest, EntryVerifier } from './types.js';

/** Bound on signatures and verifiers per entry (rekor-tiles allows 10). */
export const MAX_ENTRY_SIGNATURES = 64;

/**
 * A v0.0.1 verifier: base64 of PEM text. A certificate chain yields its first certificate
 * (the one the log verified the signature with).
 */
export function pemVerifier(field: JsonReader): EntryVerifier {
  const fail = (reason: string, cause?: unknown): never => field.fail(reason, cause);
  let text: string;
  try {
    text = utf8Decode(field.nonEmptyBase64(), field.path);
  } catch (err) {
    if (err instanceof RekorError) throw err;
    return fail('expected base64 of UTF-8 PEM text', err);
  }
  const { type, blocks } = readVerifierPem(text, fail);
  return { type, der: blocks[0]!.der };
}

/** A v0.0.2 (protobuf JSON) Verifier: { keyDetails, x509Certificate | publicKey: { rawBytes } }. */
export function rawBytesVerifier(field: JsonReader): EntryVerifier {
  const keyDetails = field.field('keyDetails').string();
  const certificate = field.optionalField('x509Certificate');
  const publicKey = field.optionalField('publicKey');
  if ((certificate === undefined) === (publicKey === undefined)) field.fail('expected exactly one of x509Certificate and publicKey');
  const type = certificate ? 'certificate' : 'publicKey';
  return { type, der: (certificate ?? publicKey)!.field('rawBytes').nonEmptyBase64(), keyDetails };
}

/** v0.0.1 JSON names: { algorithm: "sha256", value: "<hex>" }. */
export function hexDigest(field: JsonReader, allowed: readonly HashAlgorithm[]): Digest {
  const algorithm = field.field('algorithm').oneOf(allowed);
  const valueField = field.field('value');
  return { algorithm, digest: checkedDigest(valueField, algorithm, valueField.hex()) };
}

const PROTO_HASH_NAMES = { SHA2_256: 'sha256', SHA2_384: 'sha384', SHA2_512: 'sha512' } as const satisfies Record<string, HashAlgorithm>;
type ProtoHashName = keyof typeof PROTO_HASH_NAMES;

/** v0.0.2 protobuf HashOutput: { algorithm: "SHA2_256", digest: "<base64>" }. */
export function protoDigest(field: JsonReader, allowed: readonly ProtoHashName[]): Digest {
  const algorithm = PROTO_HASH_NAMES[field.field('algorithm').oneOf(allowed)];
  const digestField = field.field('digest');
  return { algorithm, digest: checkedDigest(digestField, algorithm, digestField.base64()) };
}

function checkedDigest(field: JsonReader, algorithm: HashAlgorithm, digest: Uint8Array): Uint8Array {
  if (digest.length !== HASH_SIZE[algorithm]) field.fail(`expected a ${HASH_SIZE[algorithm]}-byte ${algorithm} digest, found ${digest.length} bytes`);
  return digest;
}
