import { STATEMENT_TYPE_V1, type Statement } from '@sigil/bundle';
import { utf8Encode } from '@sigil/encoding';
import { ImageSignatureError } from './errors.js';

/** The predicate type of cosign 3's image signatures: "this digest was signed", with no content. */
export const COSIGN_SIGN_PREDICATE_TYPE = 'https://sigstore.dev/cosign/sign/v1';

/** The in-toto statement cosign 3 signs for an image: its digest, and the `-a` annotations on the subject. */
export function imageSignatureStatement(imageDigest: string, annotations: Record<string, string>): Uint8Array {
  const [algorithm, hex] = imageDigest.split(':') as [string, string];
  const subject: Record<string, unknown> = { digest: { [algorithm]: hex } };
  if (Object.keys(annotations).length > 0) subject.annotations = annotations;
  return utf8Encode(JSON.stringify({ _type: STATEMENT_TYPE_V1, subject: [subject], predicateType: COSIGN_SIGN_PREDICATE_TYPE, predicate: {} }));
}

/**
 * The claims a verified image-signature statement must make beyond its subject digest (the
 * verifier already matched that): cosign's predicate type, and every required annotation on
 * the subject that names the image. Returns the subject's string annotations.
 */
export function checkImageStatement(statement: Statement | undefined, imageDigest: string, required: Readonly<Record<string, string>>): Record<string, string> {
  if (statement?.predicateType !== COSIGN_SIGN_PREDICATE_TYPE) {
    throw new ImageSignatureError('IMAGE_PAYLOAD_INVALID', `image signature statement: expected predicate type ${COSIGN_SIGN_PREDICATE_TYPE}, found ${JSON.stringify(statement?.predicateType ?? null)}`);
  }
  const [algorithm, hex] = imageDigest.split(':') as [string, string];
  const subject = statement.subjects.find((s) => s.digest[algorithm] === hex);
  if (!subject) throw new ImageSignatureError('IMAGE_DIGEST_MISMATCH', `image signature statement: expected a subject with digest ${imageDigest}, found none`);
  const signed = subject.annotations ?? {};
  checkAnnotations(required, signed, 'statement subject');
  return Object.fromEntries(Object.entries(signed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Each required annotation must be present with the same value (cosign's `-a` on verify). */
export function checkAnnotations(required: Readonly<Record<string, string>>, signed: Readonly<Record<string, unknown>>, where: string): void {
  for (const [key, value] of Object.entries(required)) {
    // Own properties only: a required "toString" or "__proto__" is not found on Object.prototype.
    const present = Object.hasOwn(signed, key);
    if (!present || signed[key] !== value) {
      throw new ImageSignatureError('IMAGE_ANNOTATION_MISMATCH', `${where}: expected annotation ${key}=${value}, found ${present ? `${key}=${String(signed[key])}` : 'none'}`);
    }
  }
}
