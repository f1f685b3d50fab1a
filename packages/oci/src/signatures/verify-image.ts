import { parseBundle, parseStatement, type Bundle } from '@sigil/bundle';
import { decodeHex } from '@sigil/encoding';
import { artifactFromBytes, artifactFromDigests, type Verifier, type VerificationPolicy, type VerificationResult } from '@sigil/verify';
import type { RegistryClient } from '../client.js';
import { parseImageReference, type ImageReference } from '../reference.js';
import { checkAnnotations, checkImageStatement, COSIGN_SIGN_PREDICATE_TYPE } from './cosign-statement.js';
import { ImageSignatureError } from './errors.js';
import { bundleFromLegacyLayer, SIMPLE_SIGNING_MEDIA_TYPE } from './legacy-layer.js';
import { signatureTag } from './sig-manifest.js';
import { signatureStore } from './sign-image.js';
import { parseSimpleSigningPayload } from './simple-signing.js';
import { bundleReferrers, failureOf, MAX_SIGNATURE_BYTES, taggedLayers, type CandidateFailure } from './stored-signatures.js';

export interface VerifyImageOptions {
  client: RegistryClient;
  verifier: Verifier;
  policy: VerificationPolicy;
  /** cosign's `-a KEY=VALUE` on verify: each must have been signed with the digest. */
  annotations?: Record<string, string>;
  /** Where signatures are read instead of beside the image (cosign's COSIGN_REPOSITORY). */
  signatureRepository?: string | ImageReference;
  /** false (cosign's --insecure-ignore-tlog): a `.sig` layer without its Rekor bundle is read too. Default true. */
  logEntryRequired?: boolean;
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

  // Attestations are referrers too (SLSA, SBOMs): not signatures, so neither kept nor failed.
  const isSignature = (type: string | undefined) => type === undefined || type === COSIGN_SIGN_PREDICATE_TYPE;
  const store = signatureStore(ref, options.signatureRepository);
  for (const found of await verifiedBundleReferrers(options, store, digest, failures, isSignature, MAX_SIGNATURE_BYTES)) {
    try {
      const annotations = checkImageStatement(found.result.statement, digest, required);
      signatures.push({ format: 'bundle', ...found, annotations });
    } catch (err) {
      failures.push(failureOf(found.source, err));
    }
  }

  for (const candidate of await legacyCandidates(options.client, store, digest, failures)) {
    try {
      // The annotations first: a layer that holds no usable signature costs no download.
      const bundle = bundleFromLegacyLayer(candidate.layer.annotations, { withKey: options.policy.publicKey !== undefined, logEntryRequired: options.logEntryRequired ?? true });
      const payload = await candidate.load();
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

/** The `.sig` layers; a tag that cannot be read is one failure, not the end of a verification a bundle may already have passed. */
async function legacyCandidates(client: RegistryClient, ref: ImageReference, digest: string, failures: CandidateFailure[]) {
  try {
    return await taggedLayers(client, ref, signatureTag(digest), SIMPLE_SIGNING_MEDIA_TYPE, MAX_SIGNATURE_BYTES);
  } catch (err) {
    failures.push(failureOf(signatureTag(digest), err));
    return [];
  }
}

export interface VerifiedBundle {
  source: string;
  bundle: Bundle;
  result: VerificationResult;
  /** The envelope's payload: the in-toto statement's bytes. */
  payload: Uint8Array;
}

/**
 * The image's bundle referrers that verify, as DSSE statements about this digest, under the
 * policy; each one that does not is added to `failures`. Signatures and attestations alike.
 */
export async function verifiedBundleReferrers(
  options: Pick<VerifyImageOptions, 'client' | 'verifier' | 'policy'>,
  ref: ImageReference,
  digest: string,
  failures: CandidateFailure[],
  wanted: (predicateType: string | undefined) => boolean,
  maxBytes?: number,
): Promise<VerifiedBundle[]> {
  const verified: VerifiedBundle[] = [];
  const [algorithm, hex] = digest.split(':') as ['sha256', string];
  const artifact = artifactFromDigests(new Map([[algorithm, decodeHex(hex)]]));
  for (const candidate of await bundleReferrers(options.client, ref, digest, maxBytes)) {
    try {
      const bytes = await candidate.load();
      if (bytes === undefined) continue;
      const bundle = parseBundle(bytes);
      if (bundle.content.$case !== 'dsseEnvelope') throw new ImageSignatureError('IMAGE_PAYLOAD_INVALID', 'image bundle: expected a DSSE envelope, found a message signature');
      // Sorted by what the statement claims to be before anything is verified (the claim is
      // only used to skip what the caller does not look for: a signature is not an attestation).
      if (!wanted(claimedPredicateType(bundle.content.envelope.payload))) continue;
      const result = await options.verifier.verify(bundle, artifact, options.policy);
      verified.push({ source: candidate.source, bundle, result, payload: bundle.content.envelope.payload });
    } catch (err) {
      failures.push(failureOf(candidate.source, err));
    }
  }
  return verified;
}

/** The predicate type a DSSE payload claims, unverified; undefined when it is no statement. */
function claimedPredicateType(payload: Uint8Array): string | undefined {
  try {
    return parseStatement(payload).predicateType;
  } catch {
    return undefined;
  }
}
