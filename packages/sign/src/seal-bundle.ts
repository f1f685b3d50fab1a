import { BUNDLE_MEDIA_TYPE_V0_3, serializeBundle, type Bundle, type BundleContent, type KeyMaterial, type TransparencyLogEntry } from '@sigil/bundle';
import { describeError, isSigilError } from '@sigil/errors';
import type { TrustMaterial } from '@sigil/trust';
import { Verifier, type Artifact, type VerificationPolicy, type VerifierOptions } from '@sigil/verify';
import { SignError } from './errors.js';
import type { SignStep } from './sign-blob.js';
import { requestTimestamp } from './timestamp.js';
import { timestampAuthorities, type ServiceOptions } from './transparency-logs.js';

export interface Unsealed {
  keyMaterial: KeyMaterial;
  content: BundleContent;
  signature: Uint8Array;
  entries: TransparencyLogEntry[];
  /** What the self-check verifies the bundle over, and under which policy. */
  artifact: Artifact;
  policy: VerificationPolicy;
  verifierOptions?: VerifierOptions;
}

export interface SealOptions extends ServiceOptions {
  trust: TrustMaterial;
  onStep?: (step: SignStep) => void;
}

/**
 * Timestamps the signature with each TSA named, assembles the v0.3 bundle and verifies it
 * offline under `policy`: a bundle that does not verify is never handed out.
 */
export async function sealBundle(unsealed: Unsealed, options: SealOptions): Promise<{ bundle: Bundle; bundleJson: Record<string, unknown> }> {
  const { keyMaterial, content, signature, entries, artifact, policy, verifierOptions } = unsealed;
  const tsas = timestampAuthorities(options);
  const timestamps = await Promise.all(tsas.map((url) => requestTimestamp(url, signature, options.http)));
  if (tsas.length > 0) options.onStep?.('timestamped');
  const bundle: Bundle = {
    mediaType: BUNDLE_MEDIA_TYPE_V0_3,
    version: '0.3',
    verificationMaterial: { content: keyMaterial, tlogEntries: entries, rfc3161Timestamps: timestamps },
    content,
  };
  try {
    await new Verifier(options.trust, verifierOptions).verify(bundle, artifact, policy);
  } catch (err) {
    throw new SignError('SIGN_SELF_CHECK_FAILED', `the new bundle does not verify: ${describeError(err)}`, {
      cause: err,
      details: isSigilError(err) ? { code: err.code } : undefined,
    });
  }
  options.onStep?.('bundle-verified');
  return { bundle, bundleJson: serializeBundle(bundle) };
}
