import type { Bundle } from '@sigil/bundle';
import type { HttpOptions } from '@sigil/http-client';
import type { Signer } from '@sigil/keys';
import type { TrustMaterial } from '@sigil/trust';
import { artifactFromBytes, artifactFromDigests } from '@sigil/verify';
import { hashArtifact, type HashedArtifact, type SignableArtifact } from './artifact.js';
import { certify, checkOptions, finishBundle, rawVerifierOf } from './keyless.js';
import { logSignature } from './transparency-log.js';
import { logSignatureV2 } from './transparency-log-v2.js';
import { logToEach, type TransparencyLogService } from './transparency-logs.js';

export interface SignOptions {
  /** The OIDC identity token (GitLab: SIGSTORE_ID_TOKEN). Never written anywhere. */
  identityToken: string;
  fulcioURL: string;
  /** A Rekor v1 log; ignored when `transparencyLogs` is given. */
  rekorURL?: string;
  /** The logs to write to, each v1 or v2 (a signing config's selection); one entry each. */
  transparencyLogs?: TransparencyLogService[];
  /** A full TSA endpoint URL; when given, the signature is also timestamped. */
  tsaURL?: string;
  /** Several TSAs (a signing config's selection), one timestamp each; wins over `tsaURL`. */
  tsaURLs?: string[];
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
  /** The CA certificates above it, as Fulcio sent them (cosign stores them with image signatures). */
  chain: Uint8Array[];
  signature: Uint8Array;
}

/**
 * Keyless signing of a blob: token -> ephemeral key -> Fulcio certificate -> signature ->
 * an entry in each log (-> RFC 3161 timestamps) -> bundle v0.3. Every answer is checked as it
 * arrives, and the finished bundle must pass the verifier before it is returned; the
 * ephemeral key is dropped when this returns.
 */
export async function signBlob(artifact: SignableArtifact, options: SignOptions): Promise<SignResult> {
  checkOptions(options);
  const certified = await certify(options);
  const hashed = await hashArtifact(artifact);
  const signature = await signArtifact(certified.signer, hashed);
  options.onStep?.('artifact-signed');

  const entries = await logToEach(options, {
    v1: (rekor) => logSignature(rekor, { sha256: hashed.sha256, signature, verifier: { certificate: certified.leaf.der } }),
    v2: (rekor) => logSignatureV2(rekor, { digest: hashed.sha256, signature, verifier: rawVerifierOf(certified) }),
  });
  options.onStep?.('entry-logged');

  return finishBundle(
    {
      certified,
      content: { $case: 'messageSignature', messageDigest: { algorithm: 'sha256', digest: hashed.sha256 }, signature },
      signature,
      entries,
      artifact: hashed.bytes ? artifactFromBytes(hashed.bytes) : artifactFromDigests(new Map([['sha256', hashed.sha256]])),
    },
    options,
  );
}

// In-memory artifacts are signed by node:crypto (it hashes again, faster than a digest
// signature in JavaScript); streamed ones over the digest of their single pass.
async function signArtifact(signer: Signer, hashed: HashedArtifact): Promise<Uint8Array> {
  return hashed.bytes ? signer.sign(hashed.bytes) : signer.signDigest(hashed.sha256);
}
