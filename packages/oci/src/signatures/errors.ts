import { SigilError } from '@sigil/errors';

/** Codes for image signatures that cannot be made, read or accepted. */
export type ImageSignatureErrorCode =
  | 'IMAGE_PAYLOAD_INVALID' // a simple-signing payload or cosign statement that cannot be read
  | 'IMAGE_SIGNATURE_LAYER_INVALID' // a `.sig` layer or bundle referrer with missing or bad parts
  | 'IMAGE_DIGEST_MISMATCH' // the signature is about another image
  | 'IMAGE_ANNOTATION_MISMATCH' // a required `-a KEY=VALUE` is not in what was signed
  | 'IMAGE_NO_SIGNATURES' // nothing stored for this image
  | 'IMAGE_NO_ATTESTATIONS' // no attestation referrer for this image
  | 'IMAGE_NO_VALID_SIGNATURE'; // signatures (or attestations) exist, none verifies

export class ImageSignatureError extends SigilError<ImageSignatureErrorCode> {}
