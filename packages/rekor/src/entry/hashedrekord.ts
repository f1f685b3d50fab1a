import { hexDigest, pemVerifier, protoDigest, rawBytesVerifier } from './verifier-material.js';
import type { JsonReader } from './json-reader.js';
import type { LoggedEntry } from './types.js';

type EntryFields = Omit<LoggedEntry, 'kind' | 'version'>;

/** Rekor v1: spec.{data.hash{algorithm,value(hex)}, signature{content, publicKey.content(b64 PEM)}}. */
export function hashedRekordV001(spec: JsonReader): EntryFields {
  const signature = spec.field('signature');
  return {
    artifactDigest: hexDigest(spec.field('data').field('hash'), ['sha256', 'sha384', 'sha512']),
    signatures: [signature.field('content').nonEmptyBase64()],
    verifiers: [pemVerifier(signature.field('publicKey').field('content'))],
  };
}

/** Rekor v2: spec.hashedRekordV002.{data{algorithm,digest(b64)}, signature{content, verifier}}. */
export function hashedRekordV002(spec: JsonReader): EntryFields {
  const entry = spec.field('hashedRekordV002');
  const signature = entry.field('signature');
  return {
    artifactDigest: protoDigest(entry.field('data'), ['SHA2_256', 'SHA2_384', 'SHA2_512']),
    signatures: [signature.field('content').nonEmptyBase64()],
    verifiers: [rawBytesVerifier(signature.field('verifier'))],
  };
}
