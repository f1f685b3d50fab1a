import { parseBundle, serializeBundle, type Bundle } from '@sigil/bundle';
import { decodePemBlocks, derToPem, encodeBase64, JSON_DOCUMENT_LIMITS, parseJson, utf8Encode } from '@sigil/encoding';
import { ImageSignatureError } from './errors.js';

// The annotations cosign 2 puts on each layer of a `sha256-<hex>.sig` manifest. Only the
// signature key kept the old `dev.cosignproject` prefix.
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
export const REKOR_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';

const MAX_ANNOTATION_CHARS = 256 * 1024;

/**
 * The annotations of a `.sig` layer for a signature over the payload: the signature, the
 * Rekor entry with its SET (the "old Rekor bundle"), and for a keyless signature the leaf
 * certificate and the CA chain it was issued under, taken from the v0.3 bundle signing
 * returned. A key's layer carries no key (cosign's layout): the verifier brings it (--key).
 */
export function legacyLayerAnnotations(bundle: Bundle, chain: readonly Uint8Array[]): Record<string, string> {
  const material = bundle.verificationMaterial.content;
  if (bundle.content.$case !== 'messageSignature' || (material.$case !== 'certificate' && material.$case !== 'publicKey')) {
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', 'a .sig layer holds a message signature: expected a message signature bundle with a certificate or a key');
  }
  // The legacy form keeps one SET-backed entry and no timestamps; the bundle codec checks that.
  const legacy = serializeBundle({ ...bundle, version: 'cosign-legacy', mediaType: '', verificationMaterial: { ...bundle.verificationMaterial, rfc3161Timestamps: [] } });
  return {
    [SIGNATURE_ANNOTATION]: encodeBase64(bundle.content.signature),
    ...(material.$case === 'certificate'
      ? { [CERTIFICATE_ANNOTATION]: derToPem(material.certificate, 'CERTIFICATE'), [CHAIN_ANNOTATION]: chain.map((der) => derToPem(der, 'CERTIFICATE')).join('') }
      : {}),
    ...(legacy.rekorBundle !== undefined ? { [REKOR_BUNDLE_ANNOTATION]: JSON.stringify(legacy.rekorBundle) } : {}),
  };
}

/**
 * A `.sig` layer's annotations as the bundle the verifier reads: the signature, the leaf
 * certificate alone (the stored chain is the signer's claim; the trusted root decides), and
 * the Rekor entry with its SET. A layer without the Rekor bundle cannot be checked offline.
 * A layer without a certificate was signed with a key: read only when verifying with one
 * (`withKey`), its key material then the verifier's key. `logEntryRequired: false` (an opt-out)
 * reads a layer without the Rekor bundle; the verifier must then not require an entry either.
 */
export function bundleFromLegacyLayer(annotations: Readonly<Record<string, unknown>> | undefined, { withKey = false, logEntryRequired = true } = {}): Bundle {
  const signature = text(annotations, SIGNATURE_ANNOTATION);
  const keySigned = annotations?.[CERTIFICATE_ANNOTATION] === undefined;
  if (keySigned && !withKey) {
    if (annotations?.[REKOR_BUNDLE_ANNOTATION] === undefined) text(annotations, CERTIFICATE_ANNOTATION);
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig layer: expected a keyless signature with its certificate (${CERTIFICATE_ANNOTATION}), found a signature made with a key`, {
      hint: 'verify it with the public key: sigil verify --key KEY',
    });
  }
  if (withKey && !keySigned) {
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig layer: expected a signature made with a key, found a keyless signature with its certificate (${CERTIFICATE_ANNOTATION})`, {
      hint: 'verify keyless signatures with --certificate-identity and --certificate-oidc-issuer',
    });
  }
  const rekorBundle = logEntryRequired || annotations?.[REKOR_BUNDLE_ANNOTATION] !== undefined ? text(annotations, REKOR_BUNDLE_ANNOTATION) : undefined;
  const cert = keySigned ? {} : { cert: encodeBase64(utf8Encode(derToPem(leafOf(text(annotations, CERTIFICATE_ANNOTATION)), 'CERTIFICATE'))) };
  try {
    return parseBundle({ base64Signature: signature, ...cert, ...(rekorBundle !== undefined ? { rekorBundle: parseJson(rekorBundle, REKOR_BUNDLE_ANNOTATION, JSON_DOCUMENT_LIMITS['legacy cosign bundle']) } : {}) });
  } catch (err) {
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig layer: expected a signature and a Rekor bundle that read as a cosign bundle, found ${(err as Error).message}`, { cause: err });
  }
}

function leafOf(certificate: string): Uint8Array {
  try {
    const blocks = decodePemBlocks(certificate, CERTIFICATE_ANNOTATION);
    if (blocks.length === 0 || blocks[0]!.label !== 'CERTIFICATE') throw new Error('no CERTIFICATE block');
    return blocks[0]!.der;
  } catch (err) {
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `${CERTIFICATE_ANNOTATION}: expected a PEM certificate, found none`, { cause: err });
  }
}

function text(annotations: Readonly<Record<string, unknown>> | undefined, key: string): string {
  const value = annotations?.[key];
  if (typeof value !== 'string' || value === '') {
    const hint = key === REKOR_BUNDLE_ANNOTATION ? 'Sigil verifies offline and needs the Rekor entry stored with the signature.' : undefined;
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig layer: expected the annotation ${key}, found ${value === undefined ? 'none' : 'an empty or non-string value'}`, { hint });
  }
  if (value.length > MAX_ANNOTATION_CHARS) {
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig layer: annotation ${key}: expected at most ${MAX_ANNOTATION_CHARS} characters, found ${value.length}`);
  }
  return value;
}
