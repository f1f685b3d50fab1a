import { parseBundle, type Bundle } from '@sigil/bundle';
import { hashStream } from '@sigil/crypto';
import { encodeBase64 } from '@sigil/encoding';
import { isWithin, type TrustMaterial } from '@sigil/trust';
import { certificateIdentity as signerOf, fulcioExtensions } from '@sigil/x509';
import { ArtifactDigests, type Artifact, type ResolvedArtifact } from './artifact.js';
import { checkStatementSubject, verifyArtifactSignature } from './artifact-signature.js';
import { precheckLeafSignature, verifyCertificateAtTimes, verifyCertificateTransparency } from './certificate.js';
import { checkIdentity, type SignerIdentity } from './check-identity.js';
import { PolicyError, VerificationError } from './errors.js';
import { signingKeyOf, type SigningKeyMaterial } from './key-material.js';
import type { VerificationPolicy } from './policy.js';
import type { VerificationResult, VerifiedTime } from './result.js';
import { signedContentOf, type SignedContent } from './signed-content.js';
import { verifyTimestamps } from './timestamps.js';
import { verifyLogEntry, type VerifiedLogEntry } from './tlog.js';
import { requiredDigests } from './required-digests.js';

export interface VerifierOptions {
  /** Distinct transparency logs that must hold the entry. Default 1. */
  tlogThreshold?: number;
  /** Distinct CT logs whose SCT must be embedded in the certificate. Default 1. */
  ctlogThreshold?: number;
  /** Verified signing times (SET-backed integrated times and RFC 3161 timestamps). Default 1. */
  timestampThreshold?: number;
  /**
   * When the bundle yields no verified time (opt-outs only, as cosign's --insecure-ignore-tlog):
   * 'current-time' checks the certificate at the verifier's clock (sigstore-go's
   * WithCurrentTime); 'none' accepts a key-signed bundle without any time (its
   * WithNoObserverTimestamps; a certificate, or a log entry read, still needs a time: pair it
   * with ignoreTlogEntries, as the CLI does). Default: a time is required.
   */
  withoutVerifiedTime?: 'current-time' | 'none';
  /**
   * Do not read the bundle's log entries at all (cosign's --insecure-ignore-tlog: sigstore-go
   * without WithTransparencyLog): an entry of a log the trusted root does not list is then no
   * failure, and gives no time either. Implies tlogThreshold 0.
   */
  ignoreTlogEntries?: boolean;
  /**
   * Start the CA signature checks on libuv's thread pool as soon as the leaf is parsed (default
   * true): faster for a verifier that runs many bundles. The CLI turns it off where it verifies
   * one bundle (verify-blob and the like): starting the pool for one check cost more than it
   * saved (~2.5 ms of CPU, measured); verify-image and verify-attestation, which may verify
   * several signatures, keep it on.
   */
  backgroundChecks?: boolean;
}

// Bounds on what one bundle may ask us to check.
const MAX_TLOG_ENTRIES = 32;

/**
 * Verifies bundles against one set of trust material. Build it once, verify many: the
 * trusted root is decoded and its keys imported only once.
 */
export class Verifier {
  private readonly tlogThreshold: number;
  private readonly ctlogThreshold: number;
  private readonly timestampThreshold: number;
  private readonly backgroundChecks: boolean;
  private readonly withoutVerifiedTime: VerifierOptions['withoutVerifiedTime'];
  private readonly ignoreTlogEntries: boolean;

  constructor(readonly trust: TrustMaterial, options: VerifierOptions = {}) {
    this.tlogThreshold = options.ignoreTlogEntries === true ? 0 : (options.tlogThreshold ?? 1);
    this.ctlogThreshold = options.ctlogThreshold ?? 1;
    this.timestampThreshold = options.timestampThreshold ?? 1;
    this.backgroundChecks = options.backgroundChecks ?? true;
    this.withoutVerifiedTime = options.withoutVerifiedTime;
    this.ignoreTlogEntries = options.ignoreTlogEntries === true;
  }

  /**
   * Verifies `bundle` (parsed, or its JSON) over `artifact` under `policy`, and names the
   * signer; rejects with a typed error on any failure. Nothing here touches the network.
   */
  async verify(bundleInput: Bundle | string | Uint8Array, artifact: Artifact, policy: VerificationPolicy): Promise<VerificationResult> {
    const bundle = isParsedBundle(bundleInput) ? bundleInput : parseBundle(bundleInput);
    const key = signingKeyOf(bundle, policy);
    // Runs beside the checks below; awaited before the certificate path, which then finds it done.
    const leafSignature = key.kind === 'certificate' && this.backgroundChecks ? precheckLeafSignature(key.certificate, this.trust) : undefined;
    const digests = new ArtifactDigests(await resolveArtifact(artifact, bundle));
    const signed = signedContentOf(bundle, digests);

    const statement = await verifyArtifactSignature(bundle, key, signed);
    if (statement) checkStatementSubject(statement, digests);

    const entries = this.ignoreTlogEntries ? [] : this.verifyLogEntries(bundle, key, signed);
    const timestamps = verifyTimestamps(bundle.verificationMaterial.rfc3161Timestamps, signed.signature, this.trust);
    const times: VerifiedTime[] = [
      ...entries.flatMap((e) => (e.integratedTime ? [{ kind: 'transparency-log' as const, time: e.integratedTime, source: e.log.baseUrl }] : [])),
      ...timestamps.map((t) => ({ kind: 'rfc3161' as const, time: t.time, source: t.authority })),
    ];
    if (times.length === 0 && this.withoutVerifiedTime === 'current-time') times.push({ kind: 'current-time', time: new Date(), source: 'the verifier\'s clock' });
    // 'none' waives the time only where nothing needs one: a log entry read still needs a time
    // at which its log's key was valid.
    const timeless = times.length === 0 && entries.length === 0 && this.withoutVerifiedTime === 'none' && key.kind === 'key';
    if (!timeless) this.checkTimes(entries, times);

    let signer: SignerIdentity | undefined;
    if (key.kind === 'certificate') {
      await leafSignature;
      const path = verifyCertificateAtTimes(key.certificate, this.trust, times.map((t) => t.time));
      verifyCertificateTransparency(key.certificate, path[1] ?? path[0]!, this.trust, this.ctlogThreshold);
      const identity = signerOf(key.certificate);
      signer = { identity: identity.san, identityType: identity.sanType, issuer: identity.issuer, extensions: fulcioExtensions(key.certificate) };
      if (!policy.identities || policy.identities.length === 0) {
        throw new PolicyError('POLICY_IDENTITY_REQUIRED', 'identity policy: a keyless bundle needs an expected certificate identity and OIDC issuer, found none', {
          hint: 'pass --certificate-identity (or --certificate-identity-regexp) and --certificate-oidc-issuer',
        });
      }
      checkIdentity(signer, policy.identities);
    }

    return {
      bundleVersion: bundle.version,
      mediaType: bundle.mediaType,
      signer,
      tlogEntries: entries.map((e) => ({ logIndex: e.logIndex, inclusionProofIndex: e.inclusionProofIndex, logUrl: e.log.baseUrl, kind: e.kind, version: e.version, integratedTime: e.integratedTime })),
      timestamps: times,
      statement,
    };
  }

  private verifyLogEntries(bundle: Bundle, key: SigningKeyMaterial, signed: SignedContent): VerifiedLogEntry[] {
    const entries = bundle.verificationMaterial.tlogEntries;
    if (entries.length > MAX_TLOG_ENTRIES) {
      throw new VerificationError('VERIFY_TLOG_TOO_MANY', `transparency log entries: expected at most ${MAX_TLOG_ENTRIES}, found ${entries.length}`);
    }
    const seen = new Set<string>();
    const verified: VerifiedLogEntry[] = [];
    for (const entry of entries) {
      const id = `${encodeBase64(entry.logId)}/${entry.logIndex}`;
      if (seen.has(id)) {
        throw new VerificationError('VERIFY_TLOG_DUPLICATE', `transparency log entry ${entry.logIndex}: appears twice in the bundle`);
      }
      seen.add(id);
      verified.push(verifyLogEntry(entry, bundle, this.trust, key, signed));
    }
    // One log counts once, however many of its entries the bundle carries.
    const logs = new Set(verified.map((e) => encodeBase64(e.log.logId)));
    if (logs.size < this.tlogThreshold) {
      throw new VerificationError('VERIFY_TLOG_MISSING', `transparency log: expected entries from ${this.tlogThreshold} log(s) of the trusted root, found ${logs.size}`);
    }
    return verified;
  }

  /** Enough verified times, and logs without a SET-backed time must have been valid at one of them. */
  private checkTimes(entries: readonly VerifiedLogEntry[], times: readonly VerifiedTime[]): void {
    if (times.length < this.timestampThreshold || times.length === 0) {
      throw new VerificationError('VERIFY_TIMESTAMP_MISSING', `signing time: expected ${Math.max(1, this.timestampThreshold)} verified time(s) (a log's signed entry timestamp or an RFC 3161 timestamp), found ${times.length}`, {
        hint: 'Rekor v2 entries carry no integrated time: their bundles need an RFC 3161 timestamp',
      });
    }
    for (const entry of entries) {
      if (entry.integratedTime) continue;
      if (!times.some((t) => isWithin(entry.log.validFor, t.time))) {
        throw new VerificationError('VERIFY_TLOG_KEY_NOT_VALID', `transparency log entry ${entry.logIndex ?? entry.inclusionProofIndex}: the key of log ${entry.log.baseUrl} was not valid at any verified signing time`);
      }
    }
  }
}

/** A stream is read once, computing every digest the bundle will ask for. */
async function resolveArtifact(artifact: Artifact, bundle: Bundle): Promise<ResolvedArtifact> {
  if (artifact.kind !== 'stream') return artifact;
  return { kind: 'digests', digests: await hashStream(artifact.chunks, requiredDigests(bundle)) };
}

export function createVerifier(trust: TrustMaterial, options?: VerifierOptions): Verifier {
  return new Verifier(trust, options);
}

function isParsedBundle(value: unknown): value is Bundle {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && 'verificationMaterial' in value && 'version' in value && 'content' in value;
}
