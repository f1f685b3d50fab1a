import { BUNDLE_MEDIA_TYPE_V0_3, serializeBundle, type Bundle } from '@sigil/bundle';
import { describeError, isSigilError } from '@sigil/errors';
import { createFulcioClient } from '@sigil/fulcio';
import type { HttpOptions } from '@sigil/http-client';
import { generateEphemeralSigner, type Signer } from '@sigil/keys';
import { preflight, type PreflightResult } from '@sigil/oidc';
import { createRekorClient } from '@sigil/rekor/client';
import type { TrustMaterial } from '@sigil/trust';
import { Verifier, artifactFromBytes, artifactFromDigests, certificateIdentity } from '@sigil/verify';
import { hashArtifact, type HashedArtifact, type SignableArtifact } from './artifact.js';
import { obtainCertificate } from './certificate.js';
import { SignError } from './errors.js';
import { requestTimestamp } from './timestamp.js';
import { logSignature } from './transparency-log.js';

export interface SignOptions {
  /** The OIDC identity token (GitLab: SIGSTORE_ID_TOKEN). Never written anywhere. */
  identityToken: string;
  fulcioURL: string;
  rekorURL: string;
  /** A full TSA endpoint URL; when given, the signature is also timestamped. */
  tsaURL?: string;
  /** What the results must chain to: the instance's trusted root. */
  trust: TrustMaterial;
  /** Issuers the token may come from (the signing config's OIDC URLs); any when absent. */
  knownIssuers?: string[];
  http?: HttpOptions;
  /** Called as the pipeline advances, for a CLI to report progress. */
  onStep?: (step: SignStep) => void;
}

export type SignStep = 'token-checked' | 'certificate-issued' | 'artifact-signed' | 'entry-logged' | 'timestamped' | 'bundle-verified';

export interface SignResult {
  /** The v0.3 bundle as protobuf JSON, ready to write. */
  bundleJson: Record<string, unknown>;
  bundle: Bundle;
  /** Who the bundle says signed: what verifiers should expect. */
  identity: string;
  issuer: string;
  certificate: Uint8Array;
  signature: Uint8Array;
}

/**
 * Keyless signing of a blob: token -> ephemeral key -> Fulcio certificate -> signature ->
 * Rekor entry (-> RFC 3161 timestamp) -> bundle v0.3. Every answer is checked as it
 * arrives, and the finished bundle must pass the verifier before it is returned; the
 * ephemeral key is dropped when this returns.
 */
export async function signBlob(artifact: SignableArtifact, options: SignOptions): Promise<SignResult> {
  checkOptions(options);
  const identity = preflight(options.identityToken, { knownIssuers: options.knownIssuers });
  options.onStep?.('token-checked');
  const signer = await generateEphemeralSigner();
  const fulcio = createFulcioClient({ url: options.fulcioURL, ...options.http });
  const leaf = await obtainCertificate(fulcio, options.identityToken, signer, identity, options.trust);
  options.onStep?.('certificate-issued');

  const hashed = await hashArtifact(artifact);
  const signature = await signArtifact(signer, hashed);
  options.onStep?.('artifact-signed');

  const rekor = createRekorClient({ url: options.rekorURL, ...options.http });
  const entry = await logSignature(rekor, { sha256: hashed.sha256, signature, certificate: leaf.der });
  options.onStep?.('entry-logged');

  const timestamps = options.tsaURL ? [await requestTimestamp(options.tsaURL, signature, options.http)] : [];
  if (options.tsaURL) options.onStep?.('timestamped');

  const bundle: Bundle = {
    mediaType: BUNDLE_MEDIA_TYPE_V0_3,
    version: '0.3',
    verificationMaterial: { content: { $case: 'certificate', certificate: leaf.der }, tlogEntries: [entry], rfc3161Timestamps: timestamps },
    content: { $case: 'messageSignature', messageDigest: { algorithm: 'sha256', digest: hashed.sha256 }, signature },
  };
  await selfCheck(bundle, hashed, identity, options.trust);
  options.onStep?.('bundle-verified');
  return { bundleJson: serializeBundle(bundle), bundle, identity: identity.identity, issuer: identity.issuer, certificate: leaf.der, signature };
}

function checkOptions(options: SignOptions): void {
  for (const key of ['fulcioURL', 'rekorURL'] as const) {
    if (typeof options?.[key] !== 'string' || options[key] === '') throw new SignError('SIGN_OPTIONS_INVALID', `sign options: expected ${key}, found none`);
  }
  if (!options.trust) throw new SignError('SIGN_OPTIONS_INVALID', 'sign options: expected the trust material the results must chain to, found none');
}

// In-memory artifacts are signed by node:crypto (it hashes again, faster than a digest
// signature in JavaScript); streamed ones over the digest of their single pass.
async function signArtifact(signer: Signer, hashed: HashedArtifact): Promise<Uint8Array> {
  return hashed.bytes ? signer.sign(hashed.bytes) : signer.signDigest(hashed.sha256);
}

/** The bundle must verify, offline, for the identity the token names: else it is not handed out. */
async function selfCheck(bundle: Bundle, hashed: HashedArtifact, identity: PreflightResult, trust: TrustMaterial): Promise<void> {
  const artifact = hashed.bytes ? artifactFromBytes(hashed.bytes) : artifactFromDigests(new Map([['sha256', hashed.sha256]]));
  try {
    await new Verifier(trust).verify(bundle, artifact, {
      identities: [certificateIdentity({ identity: identity.identity, issuer: identity.issuer })],
    });
  } catch (err) {
    throw new SignError('SIGN_SELF_CHECK_FAILED', `the new bundle does not verify: ${describeError(err)}`, {
      cause: err,
      details: isSigilError(err) ? { code: err.code } : undefined,
    });
  }
}
