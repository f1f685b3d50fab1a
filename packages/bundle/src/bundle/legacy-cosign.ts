import { decodePemBlocks, derToPem, encodeBase64, encodeHex, JSON_DOCUMENT_LIMITS, jsonShapeRefusal, parseJson, utf8Decode, utf8Encode, type JsonDocumentKind } from '@sigil/encoding';
import { readEnvelope, serializeEnvelope } from '../dsse/envelope.js';
import { documentError } from '../internal/fail.js';
import { JsonValue, type JsonObject } from '../internal/json-node.js';
import { MAX_CHAIN_LENGTH } from '../internal/limits.js';
import type { Bundle, BundleContent, KeyMaterial, TransparencyLogEntry } from '../model.js';

// The file `cosign sign-blob --bundle` wrote before cosign 3 (cosign's LocalSignedPayload):
//   { "base64Signature": b64, "cert": b64(PEM), "rekorBundle": { "SignedEntryTimestamp": b64,
//     "Payload": { "body": b64, "integratedTime": N, "logIndex": N, "logID": hex } } }
// Go wrote the rekorBundle keys capitalised (no JSON tags). `cert` is absent when signing with
// a key and no log upload; `rekorBundle` when there was no log upload.

const OPEN_BRACE = 0x7b;

export function readLegacyCosignBundle(root: JsonObject): Bundle {
  const signature = root.require('base64Signature', 'a base64 signature');
  const rekorBundle = root.optionalObject('rekorBundle');
  return {
    mediaType: '',
    version: 'cosign-legacy',
    verificationMaterial: {
      content: readKeyMaterial(root.field('cert')),
      tlogEntries: rekorBundle ? [readRekorBundle(rekorBundle)] : [],
      rfc3161Timestamps: [],
    },
    content: readSignedContent(signature),
  };
}

/**
 * `cosign attest-blob` put a whole DSSE envelope (JSON) where sign-blob puts the signature.
 * Like cosign, anything that is not a JSON object is taken as signature bytes (an RSA or
 * Ed25519 signature may well start with '{', but will not parse).
 */
function readSignedContent(field: JsonValue): BundleContent {
  const bytes = field.asBytes();
  const json = bytes[0] === OPEN_BRACE ? embeddedJson(bytes, 'DSSE envelope', field) : undefined;
  if (typeof json !== 'object' || json === null) return { $case: 'messageSignature', signature: bytes };
  return { $case: 'dsseEnvelope', envelope: readEnvelope(new JsonValue(field.document, field.path, json).asObject(), 'exactly one') };
}

/**
 * The JSON a field holds in base64, or undefined when it is not JSON. Over its kind's limits
 * is an error of its own: an envelope refused for its size must not pass for a signature that
 * happens to start with '{' (no signature of a few hundred bytes can nest 100 levels deep or
 * hold thousands of arrays).
 */
function embeddedJson(bytes: Uint8Array, kind: JsonDocumentKind, field: JsonValue): unknown {
  try {
    return parseJson(utf8Decode(bytes), kind, JSON_DOCUMENT_LIMITS[kind]);
  } catch (err) {
    const overLimits = jsonShapeRefusal(err);
    if (overLimits) throw field.fail('BUNDLE_TOO_LARGE', overLimits.message, { cause: overLimits, details: overLimits.details });
    return undefined;
  }
}

/** cosign verify-blob takes base64 of PEM, or PEM itself; a PEM public key means key-based signing. */
function readKeyMaterial(field: JsonValue | undefined): KeyMaterial {
  const text = field?.asString() ?? '';
  if (!field || text === '') return { $case: 'publicKey', hint: '' };
  const pem = text.startsWith('-----BEGIN') ? text : decodeText(field.asBytes(), field);
  let blocks;
  try {
    blocks = decodePemBlocks(pem, field.path);
  } catch (err) {
    throw field.fail('BUNDLE_INVALID_FIELD', 'expected base64 of a PEM certificate, found no valid PEM', { cause: err });
  }
  if (blocks.length === 1 && blocks[0]!.label === 'PUBLIC KEY') return { $case: 'publicKey', hint: '' };
  const other = blocks.find((block) => block.label !== 'CERTIFICATE');
  if (other) throw field.fail('BUNDLE_INVALID_FIELD', `expected PEM certificates, found a ${other.label} block`);
  if (blocks.length > MAX_CHAIN_LENGTH) {
    throw field.fail('BUNDLE_TOO_LARGE', `expected at most ${MAX_CHAIN_LENGTH} certificates, found ${blocks.length}`);
  }
  const ders = blocks.map((block) => block.der);
  return ders.length === 1 ? { $case: 'certificate', certificate: ders[0]! } : { $case: 'x509CertificateChain', certificates: ders };
}

function readRekorBundle(o: JsonObject): TransparencyLogEntry {
  const signedEntryTimestamp = o.bytes('SignedEntryTimestamp');
  const payload = o.object('Payload');
  const bodyField = payload.require('body', 'the base64 log entry body');
  const body = bodyField.asBytes();
  const logged = new JsonValue(bodyField.document, bodyField.path, parseEmbeddedJson(body, bodyField)).asObject();
  return {
    logIndex: payload.int64('logIndex'),
    logId: payload.require('logID', 'the log ID in hex').asHex(),
    kindVersion: { kind: logged.string('kind'), version: logged.string('apiVersion') },
    integratedTime: payload.unixSeconds('integratedTime'),
    inclusionPromise: { signedEntryTimestamp },
    canonicalizedBody: body,
  };
}

function decodeText(bytes: Uint8Array, field: JsonValue): string {
  try {
    return utf8Decode(bytes, field.path);
  } catch (err) {
    throw field.fail('BUNDLE_INVALID_FIELD', 'expected base64 of UTF-8 text, found invalid UTF-8', { cause: err });
  }
}

function parseEmbeddedJson(bytes: Uint8Array, field: JsonValue): unknown {
  const json = embeddedJson(bytes, 'Rekor entry body', field);
  if (json === undefined) throw field.fail('BUNDLE_INVALID_FIELD', `expected base64 of a Rekor entry (JSON), found ${bytes.length} bytes that are not UTF-8 JSON`);
  return json;
}

/** The legacy file for a bundle read from one: one SET-backed entry at most, no timestamps. */
export function writeLegacyCosignBundle(bundle: Bundle): Record<string, unknown> {
  const { content, verificationMaterial: material } = bundle;
  const unfit = (path: string, problem: string) => documentError('BUNDLE_INVALID_FIELD', 'bundle', path, `${problem}: a legacy cosign bundle cannot hold it`);
  if (material.tlogEntries.length > 1) throw unfit('verificationMaterial.tlogEntries', `${material.tlogEntries.length} log entries`);
  if (material.rfc3161Timestamps.length > 0) throw unfit('verificationMaterial.rfc3161Timestamps', 'RFC 3161 timestamps');

  const signature = content.$case === 'messageSignature' ? content.signature : utf8Encode(JSON.stringify(serializeEnvelope(content.envelope)));
  const json: Record<string, unknown> = { base64Signature: encodeBase64(signature) };
  const key = material.content;
  if (key.$case !== 'publicKey') {
    const ders = key.$case === 'certificate' ? [key.certificate] : key.certificates;
    json.cert = encodeBase64(utf8Encode(ders.map((der) => derToPem(der, 'CERTIFICATE')).join('')));
  }
  const entry = material.tlogEntries[0];
  if (entry) {
    if (!entry.inclusionPromise) throw unfit('verificationMaterial.tlogEntries[0]', 'a log entry without a signed entry timestamp');
    json.rekorBundle = {
      SignedEntryTimestamp: encodeBase64(entry.inclusionPromise.signedEntryTimestamp),
      Payload: {
        body: encodeBase64(entry.canonicalizedBody),
        integratedTime: toJsonNumber(entry.integratedTime, 'verificationMaterial.tlogEntries[0].integratedTime'),
        logIndex: toJsonNumber(entry.logIndex, 'verificationMaterial.tlogEntries[0].logIndex'),
        logID: encodeHex(entry.logId),
      },
    };
  }
  return json;
}

function toJsonNumber(value: bigint, path: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw documentError('BUNDLE_INVALID_FIELD', 'bundle', path, `expected an integer a JSON number holds exactly, found ${value}`);
  }
  return Number(value);
}
