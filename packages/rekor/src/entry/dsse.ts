import { hexDigest, MAX_ENTRY_SIGNATURES, pemVerifier, protoDigest, rawBytesVerifier } from './verifier-material.js';
import type { JsonReader } from './json-reader.js';
import type { LoggedEntry } from './types.js';

type EntryFields = Omit<LoggedEntry, 'kind' | 'version'>;

/** Rekor v1: spec.{envelopeHash, payloadHash (hex, sha256), signatures[{signature(b64), verifier(b64 PEM)}]}. */
export function dsseV001(spec: JsonReader): EntryFields {
  const items = spec.field('signatures').items(1, MAX_ENTRY_SIGNATURES);
  return {
    envelopeHash: hexDigest(spec.field('envelopeHash'), ['sha256']),
    payloadHash: hexDigest(spec.field('payloadHash'), ['sha256']),
    signatures: items.map((item) => item.field('signature').nonEmptyBase64()),
    verifiers: items.map((item) => pemVerifier(item.field('verifier'))),
  };
}

/** Rekor v2 (deprecated): spec.dsseV002.{payloadHash{algorithm,digest}, signatures[{content, verifier}]}. */
export function dsseV002(spec: JsonReader): EntryFields {
  const entry = spec.field('dsseV002');
  const items = entry.field('signatures').items(1, MAX_ENTRY_SIGNATURES);
  return {
    payloadHash: protoDigest(entry.field('payloadHash'), ['SHA2_256']),
    signatures: items.map((item) => item.field('content').nonEmptyBase64()),
    verifiers: items.map((item) => rawBytesVerifier(item.field('verifier'))),
  };
}
