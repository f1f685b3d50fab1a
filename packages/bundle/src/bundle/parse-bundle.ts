import { HASH_SIZE } from '@sigil/crypto';
import { readEnvelope } from '../dsse/envelope.js';
import { readDocument } from '../internal/document.js';
import { documentError } from '../internal/fail.js';
import { HASH_ALGORITHM_BY_NAME } from '../internal/hash-algorithm.js';
import type { JsonObject } from '../internal/json-node.js';
import { MAX_BUNDLE_SIZE, MAX_CHAIN_LENGTH, MAX_TIMESTAMPS, MAX_TLOG_ENTRIES } from '../internal/limits.js';
import { readMediaType } from '../internal/media-type.js';
import { BUNDLE_VERSION_BY_MEDIA_TYPE } from '../media-types.js';
import type { Bundle, BundleContent, KeyMaterial } from '../model.js';
import { readLegacyCosignBundle } from './legacy-cosign.js';
import { readTlogEntry } from './tlog-entry.js';

/**
 * Reads a Sigstore bundle (v0.1, v0.2, v0.3) or a legacy cosign bundle from JSON text,
 * UTF-8 bytes or an already parsed value. Checks shape only; throws BundleError.
 */
export function parseBundle(input: string | Uint8Array | unknown): Bundle {
  return readDocument(input, 'bundle', MAX_BUNDLE_SIZE, readBundle);
}

function readBundle(root: JsonObject): Bundle {
  if (!root.has('mediaType')) {
    if (root.has('base64Signature')) return readLegacyCosignBundle(root);
    throw documentError('BUNDLE_MISSING_FIELD', 'bundle', 'mediaType', 'expected a Sigstore bundle media type, found nothing', {
      hint: 'this is neither a Sigstore bundle (no mediaType) nor a legacy cosign bundle (no base64Signature)',
    });
  }
  const mediaType = readMediaType(root, Object.keys(BUNDLE_VERSION_BY_MEDIA_TYPE));
  const material = root.object('verificationMaterial');
  const timestamps = material.optionalObject('timestampVerificationData');
  return {
    mediaType,
    version: BUNDLE_VERSION_BY_MEDIA_TYPE[mediaType]!,
    verificationMaterial: {
      content: readKeyMaterial(material),
      tlogEntries: material.list('tlogEntries', MAX_TLOG_ENTRIES).map((entry) => readTlogEntry(entry.asObject())),
      rfc3161Timestamps: (timestamps?.list('rfc3161Timestamps', MAX_TIMESTAMPS) ?? []).map((ts) => ts.asObject().bytes('signedTimestamp')),
    },
    content: readContent(root),
  };
}

function readKeyMaterial(material: JsonObject): KeyMaterial {
  const { key, value } = material.oneOf(['certificate', 'x509CertificateChain', 'publicKey'] as const);
  const o = value.asObject();
  switch (key) {
    case 'certificate':
      return { $case: 'certificate', certificate: o.bytes('rawBytes') };
    case 'x509CertificateChain':
      return { $case: 'x509CertificateChain', certificates: o.list('certificates', MAX_CHAIN_LENGTH, 1).map((cert) => cert.asObject().bytes('rawBytes')) };
    case 'publicKey':
      return { $case: 'publicKey', hint: o.optionalString('hint') ?? '' };
  }
}

function readContent(root: JsonObject): BundleContent {
  const { key, value } = root.oneOf(['messageSignature', 'dsseEnvelope'] as const);
  const o = value.asObject();
  if (key === 'dsseEnvelope') return { $case: 'dsseEnvelope', envelope: readEnvelope(o, 'exactly one') };

  const content: BundleContent = { $case: 'messageSignature', signature: o.bytes('signature') };
  const digest = o.optionalObject('messageDigest');
  if (digest) {
    const algorithm = digest.require('algorithm', 'a hash algorithm name').asEnum(HASH_ALGORITHM_BY_NAME);
    const bytes = digest.bytes('digest');
    if (bytes.length !== HASH_SIZE[algorithm]) {
      throw digest.field('digest')!.fail('BUNDLE_INVALID_FIELD', `expected a ${HASH_SIZE[algorithm]}-byte ${algorithm} digest, found ${bytes.length} bytes`);
    }
    content.messageDigest = { algorithm, digest: bytes };
  }
  return content;
}
