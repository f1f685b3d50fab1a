import { parseBundle, serializeBundle, type Bundle } from '@sigil/bundle';
import { decodePemBlocks, derToPem, encodeBase64, parseJson, utf8Encode } from '@sigil/encoding';
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
 * The annotations of a `.sig` layer for a keyless signature over the payload: the signature,
 * the leaf certificate, the CA chain it was issued under, and the Rekor entry with its SET
 * (the "old Rekor bundle"), taken from the v0.3 bundle signing returned.
 */
export function legacyLayerAnnotations(bundle: Bundle, chain: readonly Uint8Array[]): Record<string, string> {
  const material = bundle.verificationMaterial.content;
  if (bundle.content.$case !== 'messageSignature' || material.$case !== 'certificate') {
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', 'a .sig layer holds a keyless message signature: expected a certificate-signed message signature bundle');
  }
  // The legacy form keeps one SET-backed entry and no timestamps; the bundle codec checks that.
  const legacy = serializeBundle({ ...bundle, version: 'cosign-legacy', mediaType: '', verificationMaterial: { ...bundle.verificationMaterial, rfc3161Timestamps: [] } });
  return {
    [SIGNATURE_ANNOTATION]: encodeBase64(bundle.content.signature),
    [CERTIFICATE_ANNOTATION]: derToPem(material.certificate, 'CERTIFICATE'),
    [CHAIN_ANNOTATION]: chain.map((der) => derToPem(der, 'CERTIFICATE')).join(''),
    [REKOR_BUNDLE_ANNOTATION]: JSON.stringify(legacy.rekorBundle),
  };
}

/**
 * A `.sig` layer's annotations as the bundle the verifier reads: the signature, the leaf
 * certificate alone (the stored chain is the signer's claim; the trusted root decides), and
 * the Rekor entry with its SET. A layer without the Rekor bundle cannot be checked offline.
 */
export function bundleFromLegacyLayer(annotations: Readonly<Record<string, unknown>> | undefined): Bundle {
  const signature = text(annotations, SIGNATURE_ANNOTATION);
  if (annotations?.[CERTIFICATE_ANNOTATION] === undefined && annotations?.[REKOR_BUNDLE_ANNOTATION] !== undefined) {
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig layer: expected a keyless signature with its certificate (${CERTIFICATE_ANNOTATION}), found a signature made with a key`, {
      hint: 'Sigil verifies keyless image signatures; a key-signed image needs cosign verify --key.',
    });
  }
  const certificate = text(annotations, CERTIFICATE_ANNOTATION);
  const rekorBundle = text(annotations, REKOR_BUNDLE_ANNOTATION);
  let leaf: Uint8Array;
  try {
    const blocks = decodePemBlocks(certificate, CERTIFICATE_ANNOTATION);
    if (blocks.length === 0 || blocks[0]!.label !== 'CERTIFICATE') throw new Error('no CERTIFICATE block');
    leaf = blocks[0]!.der;
  } catch (err) {
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `${CERTIFICATE_ANNOTATION}: expected a PEM certificate, found none`, { cause: err });
  }
  try {
    const json = { base64Signature: signature, cert: encodeBase64(utf8Encode(derToPem(leaf, 'CERTIFICATE'))), rekorBundle: parseJson(rekorBundle, REKOR_BUNDLE_ANNOTATION) };
    return parseBundle(json);
  } catch (err) {
    throw new ImageSignatureError('IMAGE_SIGNATURE_LAYER_INVALID', `.sig layer: expected a signature and a Rekor bundle that read as a cosign bundle, found ${(err as Error).message}`, { cause: err });
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
