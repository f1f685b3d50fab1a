import { parseBundle, type Bundle } from '@sigil/bundle';
import { decodeHex } from '@sigil/encoding';
import { artifactFromBytes, artifactFromDigests, type Verifier, type VerificationPolicy, type VerificationResult } from '@sigil/verify';
import type { RegistryClient } from '../client.js';
import { parseImageReference, type ImageReference } from '../reference.js';
import { checkAnnotations, checkImageStatement } from './cosign-statement.js';
import { ImageSignatureError } from './errors.js';
import { bundleFromLegacyLayer, SIMPLE_SIGNING_MEDIA_TYPE } from './legacy-layer.js';
import { signatureTag } from './sig-manifest.js';
import { parseSimpleSigningPayload } from './simple-signing.js';
import { bundleReferrers, failureOf, taggedLayers, type CandidateFailure } from './stored-signatures.js';

export interface VerifyImageOptions {
  client: RegistryClient;
  verifier: Verifier;
  policy: VerificationPolicy;
  /** cosign's `-a KEY=VALUE` on verify: each must have been signed with the digest. */
  annotations?: Record<string, string>;
}

export interface VerifiedImageSignature {
  format: 'bundle' | 'legacy';
  /** Where it was found: `referrer sha256:...` or `sha256-<hex>.sig layer N`. */
  source: string;
  bundle: Bundle;
  result: VerificationResult;
  /** What was signed: the simple-signing payload, or the in-toto statement. */
  payload: Uint8Array;
  /** The annotations signed with the digest. */
  annotations: Record<string, string>;
}

export interface ImageVerification {
  image: string;
  digest: string;
  signatures: VerifiedImageSignature[];
  /** Signatures found that did not verify, with the reason (a verified one is enough). */
  failures: CandidateFailure[];
}

/**
 * Finds an image's signatures in both of cosign's layouts (bundle referrers first, then the
 * `.sig` tag) and verifies each for this image's digest under the policy. At least one must
 * verify; otherwise the error says whether none were found or why each failed.
 */
export async function verifyImage(image: string | ImageReference, options: VerifyImageOptions): Promise<ImageVerification> {
  const ref = typeof image === 'string' ? parseImageReference(image) : image;
  const required = options.annotations ?? {};
  const { digest } = await options.client.resolveDigest(ref);
  const signatures: VerifiedImageSignature[] = [];
  const failures: CandidateFailure[] = [];

  for (const candidate of await bundleReferrers(options.client, ref, digest)) {
    try {
      const bytes = await candidate.load();
      if (bytes === undefined) continue;
      const bundle = parseBundle(bytes);
      const [algorithm, hex] = digest.split(':') as ['sha256', string];
      const result = await options.verifier.verify(bundle, artifactFromDigests(new Map([[algorithm, decodeHex(hex)]])), options.policy);
      if (bundle.content.$case !== 'dsseEnvelope') throw new ImageSignatureError('IMAGE_PAYLOAD_INVALID', 'image signature bundle: expected a DSSE envelope, found a message signature');
      const payload = bundle.content.envelope.payload;
      const annotations = checkImageStatement(result.statement, payload, digest, required);
      signatures.push({ format: 'bundle', source: candidate.source, bundle, result, payload, annotations });
    } catch (err) {
      failures.push(failureOf(candidate.source, err));
    }
  }

  for (const candidate of await taggedLayers(options.client, ref, signatureTag(digest), SIMPLE_SIGNING_MEDIA_TYPE)) {
    try {
      const { layer, blob: payload } = (await candidate.load())!;
      const bundle = bundleFromLegacyLayer(layer.annotations);
      const result = await options.verifier.verify(bundle, artifactFromBytes(payload), options.policy);
      const claims = parseSimpleSigningPayload(payload);
      if (claims.manifestDigest !== digest) {
        throw new ImageSignatureError('IMAGE_DIGEST_MISMATCH', `simple-signing payload: expected docker-manifest-digest ${digest}, found ${claims.manifestDigest}`);
      }
      checkAnnotations(required, claims.annotations, 'simple-signing payload');
      signatures.push({ format: 'legacy', source: candidate.source, bundle, result, payload, annotations: claims.annotations });
    } catch (err) {
      failures.push(failureOf(candidate.source, err));
    }
  }

  const shown = `${ref.name}@${digest}`;
  if (signatures.length > 0) return { image: shown, digest, signatures, failures };
  if (failures.length === 0) {
    throw new ImageSignatureError('IMAGE_NO_SIGNATURES', `image ${shown}: no signatures found (no bundle referrer, no ${signatureTag(digest)} tag)`, {
      hint: 'Sign the image first (sigil sign), and check the repository: signatures live next to the image.',
    });
  }
  throw new ImageSignatureError(
    'IMAGE_NO_VALID_SIGNATURE',
    `image ${shown}: none of ${failures.length} signature(s) verifies:\n${failures.map((f) => `  - ${f.source}: ${f.code}: ${f.message}`).join('\n')}`,
    { details: { failures } },
  );
}
