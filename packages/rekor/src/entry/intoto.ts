import { decodeBase64 } from '@sigil/encoding';
import { hexDigest, MAX_ENTRY_SIGNATURES, pemVerifier } from './verifier-material.js';
import type { JsonReader } from './json-reader.js';
import type { LoggedEntry } from './types.js';

type EntryFields = Omit<LoggedEntry, 'kind' | 'version'>;

/**
 * Rekor v1 intoto 0.0.1: spec.{content{hash, payloadHash?}, publicKey(b64 PEM)}. The log kept
 * no signature, only the key; payloadHash is missing from the oldest entries.
 */
export function intotoV001(spec: JsonReader): EntryFields {
  const content = spec.field('content');
  const payloadHash = content.optionalField('payloadHash');
  return {
    envelopeHash: hexDigest(content.field('hash'), ['sha256']),
    ...(payloadHash ? { payloadHash: hexDigest(payloadHash, ['sha256']) } : {}),
    signatures: [],
    verifiers: [pemVerifier(spec.field('publicKey'))],
  };
}

/**
 * Rekor v1 intoto 0.0.2: spec.content.{envelope{payloadType, signatures[{sig, publicKey, keyid?}]},
 * hash, payloadHash}. `sig` is base64 of the envelope's base64 signature text: two layers.
 */
export function intotoV002(spec: JsonReader): EntryFields {
  const content = spec.field('content');
  const envelope = content.field('envelope');
  const items = envelope.field('signatures').items(1, MAX_ENTRY_SIGNATURES);
  return {
    envelopeHash: hexDigest(content.field('hash'), ['sha256']),
    payloadHash: hexDigest(content.field('payloadHash'), ['sha256']),
    payloadType: envelope.field('payloadType').string(),
    signatures: items.map((item) => doubleBase64(item.field('sig'))),
    verifiers: items.map((item) => pemVerifier(item.field('publicKey'))),
  };
}

function doubleBase64(field: JsonReader): Uint8Array {
  const inner = new TextDecoder('utf-8', { fatal: false }).decode(field.nonEmptyBase64());
  try {
    const signature = decodeBase64(inner, field.path);
    if (signature.length > 0) return signature;
  } catch {
    // reported below
  }
  return field.fail('expected base64 of a base64 signature');
}
