import type { Statement } from '@sigil/bundle';
import { parseImageReference, type ImageReference } from '../reference.js';
import { COSIGN_SIGN_PREDICATE_TYPE } from './cosign-statement.js';
import { ImageSignatureError } from './errors.js';
import { signatureStore } from './sign-image.js';
import type { CandidateFailure } from './stored-signatures.js';
import { verifiedBundleReferrers, type VerifiedBundle, type VerifyImageOptions } from './verify-image.js';

export interface VerifyAttestationsOptions extends Omit<VerifyImageOptions, 'annotations'> {
  /** Only attestations of this predicate type count; any type when absent. */
  predicateType?: string;
}

export interface VerifiedAttestation extends VerifiedBundle {
  statement: Statement;
}

export interface AttestationVerification {
  image: string;
  digest: string;
  attestations: VerifiedAttestation[];
  failures: CandidateFailure[];
}

/**
 * The image's attestations (bundle referrers whose statement is about this digest) that
 * verify under the policy and have the predicate type asked for. At least one must.
 */
export async function verifyImageAttestations(image: string | ImageReference, options: VerifyAttestationsOptions): Promise<AttestationVerification> {
  const ref = typeof image === 'string' ? parseImageReference(image) : image;
  const { digest } = await options.client.resolveDigest(ref);
  const failures: CandidateFailure[] = [];
  const seenTypes = new Set<string>();
  // Image signatures are statements too (cosign 3), but not attestations.
  const wanted = (type: string | undefined) => {
    if (type === undefined || type === COSIGN_SIGN_PREDICATE_TYPE) return false;
    seenTypes.add(type);
    return options.predicateType === undefined || type === options.predicateType;
  };
  const attestations: VerifiedAttestation[] = [];
  // Sorted by the payload's own predicate type, the bytes that were then verified.
  for (const found of await verifiedBundleReferrers(options, signatureStore(ref, options.signatureRepository), digest, failures, wanted)) attestations.push({ ...found, statement: found.result.statement! });
  const shown = `${ref.name}@${digest}`;
  if (attestations.length > 0) return { image: shown, digest, attestations, failures };
  if (failures.length === 0) {
    const others = [...seenTypes].filter((type) => type !== options.predicateType);
    const found = others.length > 0 ? ` (found only ${others.join(', ')})` : '';
    throw new ImageSignatureError('IMAGE_NO_ATTESTATIONS', `image ${shown}: no attestations${options.predicateType ? ` of type ${options.predicateType}` : ''} found${found}`, {
      hint: 'Attest the image first (sigil attest), and check --type.',
      details: { predicateTypes: others },
    });
  }
  throw new ImageSignatureError(
    'IMAGE_NO_VALID_SIGNATURE',
    `image ${shown}: none of ${failures.length} attestation(s) verifies${options.predicateType ? ` as ${options.predicateType}` : ''}:\n${failures.map((f) => `  - ${f.source}: ${f.code}: ${f.message}`).join('\n')}`,
    { details: { failures } },
  );
}
