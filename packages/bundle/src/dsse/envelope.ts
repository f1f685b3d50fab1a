import { encodeBase64 } from '@sigil/encoding';
import { readDocument } from '../internal/document.js';
import { MAX_ENVELOPE_SIGNATURES, MAX_ENVELOPE_SIZE } from '../internal/limits.js';
import type { JsonObject, JsonValue } from '../internal/json-node.js';
import type { Envelope, EnvelopeSignature } from '../model.js';

/**
 * A standalone DSSE envelope (JSON text, UTF-8 bytes or a parsed object) with one or more
 * signatures. Bundles allow exactly one; that rule is parseBundle's.
 */
export function parseEnvelope(input: unknown): Envelope {
  return readDocument(input, 'DSSE envelope', MAX_ENVELOPE_SIZE, (root) => readEnvelope(root, 'one or more'));
}

export function readEnvelope(o: JsonObject, signatures: 'exactly one' | 'one or more'): Envelope {
  const payload = o.bytes('payload');
  const payloadType = o.string('payloadType');
  const items = signatures === 'exactly one' ? [o.single('signatures')] : o.list('signatures', MAX_ENVELOPE_SIGNATURES, 1);
  return { payload, payloadType, signatures: items.map(readSignature) };
}

function readSignature(item: JsonValue): EnvelopeSignature {
  const o = item.asObject();
  return { sig: o.bytes('sig'), keyid: o.optionalString('keyid') ?? '' };
}

/** The envelope's JSON form (bytes as standard base64); also its protobuf JSON form. */
export function serializeEnvelope(envelope: Envelope): { payload: string; payloadType: string; signatures: { sig: string; keyid: string }[] } {
  return {
    payload: encodeBase64(envelope.payload),
    payloadType: envelope.payloadType,
    signatures: envelope.signatures.map(({ sig, keyid }) => ({ sig: encodeBase64(sig), keyid })),
  };
}
