import type { Statement } from '@sigil/bundle';
import { parseImageReference, type ImageReference } from '../reference.js';
import { COSIGN_SIGN_PREDICATE_TYPE } from './cosign-statement.js';
import { ImageSignatureError } from './errors.js';
import { failureOf, type CandidateFailure } from './stored-signatures.js';
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
  const attestations: VerifiedAttestation[] = [];
  for (const found of await verifiedBundleReferrers(options, ref, digest, failures)) {
    const statement = found.result.statement!;
    // Image signatures are statements too (cosign 3), but not attestations.
    if (statement.predicateType === COSIGN_SIGN_PREDICATE_TYPE && options.predicateType !== COSIGN_SIGN_PREDICATE_TYPE) continue;
    if (options.predicateType !== undefined && statement.predicateType !== options.predicateType) {
      const err = new ImageSignatureError('IMAGE_PREDICATE_TYPE_MISMATCH', `attestation: expected predicate type ${options.predicateType}, found ${statement.predicateType}`);
      failures.push(failureOf(found.source, err));
      continue;
    }
    attestations.push({ ...found, statement });
  }
  const shown = `${ref.name}@${digest}`;
  if (attestations.length > 0) return { image: shown, digest, attestations, failures };
  if (failures.length === 0) {
    throw new ImageSignatureError('IMAGE_NO_ATTESTATIONS', `image ${shown}: no attestations found`, { hint: 'Attest the image first (sigil attest).' });
  }
  throw new ImageSignatureError(
    'IMAGE_NO_VALID_SIGNATURE',
    `image ${shown}: none of ${failures.length} attestation(s) verifies${options.predicateType ? ` as ${options.predicateType}` : ''}:\n${failures.map((f) => `  - ${f.source}: ${f.code}: ${f.message}`).join('\n')}`,
    { details: { failures } },
  );
}
