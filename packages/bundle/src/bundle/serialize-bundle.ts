import { encodeBase64 } from '@sigil/encoding';
import { serializeEnvelope } from '../dsse/envelope.js';
import { HASH_ALGORITHM_NAME } from '../internal/hash-algorithm.js';
import type { Bundle, BundleContent, KeyMaterial } from '../model.js';
import { writeLegacyCosignBundle } from './legacy-cosign.js';
import { writeTlogEntry } from './tlog-entry.js';

/**
 * The bundle's JSON form, ready for JSON.stringify: protobuf JSON (int64 as strings, bytes as
 * standard base64, enums by name) under the bundle's own media type, or the legacy cosign
 * layout for a bundle read from one. parseBundle(serializeBundle(b)) gives b back.
 */
export function serializeBundle(bundle: Bundle): Record<string, unknown> {
  if (bundle.version === 'cosign-legacy') return writeLegacyCosignBundle(bundle);
  const material = bundle.verificationMaterial;
  const timestamps = material.rfc3161Timestamps;
  return {
    mediaType: bundle.mediaType,
    verificationMaterial: {
      ...writeKeyMaterial(material.content),
      tlogEntries: material.tlogEntries.map(writeTlogEntry),
      ...(timestamps.length === 0
        ? {}
        : { timestampVerificationData: { rfc3161Timestamps: timestamps.map((ts) => ({ signedTimestamp: encodeBase64(ts) })) } }),
    },
    ...writeContent(bundle.content),
  };
}

function writeKeyMaterial(key: KeyMaterial): Record<string, unknown> {
  switch (key.$case) {
    case 'certificate':
      return { certificate: { rawBytes: encodeBase64(key.certificate) } };
    case 'x509CertificateChain':
      return { x509CertificateChain: { certificates: key.certificates.map((der) => ({ rawBytes: encodeBase64(der) })) } };
    case 'publicKey':
      return { publicKey: { hint: key.hint } };
  }
}

function writeContent(content: BundleContent): Record<string, unknown> {
  if (content.$case === 'dsseEnvelope') return { dsseEnvelope: serializeEnvelope(content.envelope) };
  const digest = content.messageDigest;
  return {
    messageSignature: {
      ...(digest ? { messageDigest: { algorithm: HASH_ALGORITHM_NAME[digest.algorithm], digest: encodeBase64(digest.digest) } } : {}),
      signature: encodeBase64(content.signature),
    },
  };
}
