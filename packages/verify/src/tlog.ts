import type { Bundle, TransparencyLogEntry } from '@sigil/bundle';
import { hash } from '@sigil/crypto';
import { bytesEqual, encodeBase64 } from '@sigil/encoding';
import { describeError, isSigilError } from '@sigil/errors';
import { leafHash, parseCheckpoint, verifyCheckpoint, verifyInclusionProof } from '@sigil/merkle';
import { parseEntryBody, verifySignedEntryTimestamp, type LoggedEntry } from '@sigil/rekor';
import { isWithin, type LogAuthority, type TrustMaterial } from '@sigil/trust';
import { VerificationError } from './errors.js';
import type { SignedContent } from './signed-content.js';
import type { SigningKeyMaterial } from './key-material.js';

/** One log entry that checked out: which log, and what its SET or inclusion proof vouches for. */
export interface VerifiedLogEntry {
  log: LogAuthority;
  /**
   * The entry's index in the log, when something signed binds it: a verified SET, or for Rekor
   * v2 the checkpointed proof it must equal. A Rekor v1 entry without a SET has none.
   */
  logIndex: bigint | undefined;
  /** The leaf index a verified inclusion proof proves, in the tree its signed checkpoint names. */
  inclusionProofIndex: bigint | undefined;
  /** The integrated time, when a verified SET backs it; Rekor v2 entries have none. */
  integratedTime: Date | undefined;
  kind: string;
  version: string;
}

/** Checks one entry: its body against the bundle, its SET and its inclusion proof. */
export function verifyLogEntry(
  entry: TransparencyLogEntry,
  bundle: Bundle,
  trust: TrustMaterial,
  key: SigningKeyMaterial,
  signed: SignedContent,
): VerifiedLogEntry {
  const where = `transparency log entry ${entry.logIndex}`;
  const log = findLog(entry, trust, where);
  const body = readBody(entry, where);
  checkBodyMatchesBundle(body, key, signed, where);
  checkKindFitsContent(body, signed, where);

  const isRekorV2 = isRekorV2Entry(entry);
  const needsPromise = bundle.version === '0.1' || bundle.version === 'cosign-legacy';
  const needsProof = !needsPromise || isRekorV2;

  let integratedTime: Date | undefined;
  if (entry.inclusionPromise) {
    integratedTime = checkPromise(entry, log, where);
  } else if (needsPromise) {
    throw new VerificationError('VERIFY_TLOG_SET_MISSING', `${where}: a v${bundle.version} bundle needs the log's signed entry timestamp (inclusion promise), found none`);
  }

  const proof = entry.inclusionProof;
  // Nothing signs a Rekor v2 entry's own logIndex: it must be the index the proof proves.
  if (isRekorV2 && proof && proof.logIndex !== entry.logIndex) {
    throw new VerificationError('VERIFY_TLOG_PROOF_INVALID', `${where}: the entry's log index differs from its inclusion proof's (${proof.logIndex})`);
  }
  if (proof && proof.checkpoint !== undefined) {
    checkProof(entry, log, checkpointName(entry, log), where);
  } else if (proof && !needsProof) {
    // Old v0.1 bundles carry proofs without checkpoints: the SET is the signed evidence, but
    // the path must still lead from this entry to the root the proof names.
    checkPath(entry, where);
  } else if (needsProof) {
    throw new VerificationError('VERIFY_TLOG_PROOF_MISSING', `${where}: ${isRekorV2 ? 'a Rekor v2 entry' : `a v${bundle.version} bundle`} needs an inclusion proof with a signed checkpoint, found ${proof ? 'a proof without checkpoint' : 'none'}`, {
      hint: 'Sigil verifies offline and does not ask the log for a missing proof',
    });
  }
  const checkpointed = proof !== undefined && proof.checkpoint !== undefined;
  return {
    log,
    logIndex: integratedTime !== undefined || (isRekorV2 && checkpointed) ? entry.logIndex : undefined,
    inclusionProofIndex: checkpointed ? proof.logIndex : undefined,
    integratedTime,
    kind: entry.kindVersion.kind,
    version: entry.kindVersion.version,
  };
}

/** The name a log's checkpoints are signed under: the base URL's host for Rekor v1, its host name for Rekor v2. */
export function checkpointName(entry: TransparencyLogEntry, log: LogAuthority): string {
  return isRekorV2Entry(entry) ? log.hostname : log.host;
}

// Rekor v2 (rekor-tiles) writes hashedrekord and dsse 0.0.2; intoto 0.0.2 is a Rekor v1 kind.
function isRekorV2Entry(entry: TransparencyLogEntry): boolean {
  const { kind, version } = entry.kindVersion;
  return version === '0.0.2' && (kind === 'hashedrekord' || kind === 'dsse');
}

export function findLog(entry: TransparencyLogEntry, trust: TrustMaterial, where: string): LogAuthority {
  const [log] = trust.tlogsById(entry.logId);
  if (!log) {
    throw new VerificationError('VERIFY_TLOG_UNKNOWN_LOG', `${where}: expected a log listed in the trusted root, found log ID ${encodeBase64(entry.logId)}`, {
      hint: 'the bundle may come from another Sigstore instance (staging, or a private one): pass its trusted root',
    });
  }
  if (!log.publicKey) {
    throw new VerificationError('VERIFY_TLOG_UNKNOWN_LOG', `${where}: the trusted root lists log ${log.baseUrl} with a key Sigil cannot use`);
  }
  return log;
}

function readBody(entry: TransparencyLogEntry, where: string): LoggedEntry {
  try {
    return parseEntryBody(entry.canonicalizedBody, entry.kindVersion);
  } catch (err) {
    throw new VerificationError('VERIFY_TLOG_BODY_INVALID', `${where}: ${describeError(err)}`, { cause: err, details: isSigilError(err) ? { code: err.code } : undefined });
  }
}

/** The entry must be about this very signature, key and content, or it proves nothing. */
function checkBodyMatchesBundle(body: LoggedEntry, key: SigningKeyMaterial, signed: SignedContent, where: string): void {
  const mismatch = (what: string) => new VerificationError('VERIFY_TLOG_BODY_MISMATCH', `${where}: the logged ${body.kind} entry ${what}`);
  if (!body.signatures.some((sig) => bytesEqual(sig, signed.signature))) {
    throw mismatch('holds a different signature than the bundle');
  }
  if (!body.verifiers.some((v) => bytesEqual(v.der, key.der))) {
    throw mismatch(`names a different ${key.kind === 'certificate' ? 'certificate' : 'public key'} than the bundle`);
  }
  if (body.kind === 'hashedrekord') {
    const logged = body.artifactDigest;
    if (!logged) throw mismatch('has no artifact digest');
    // Rekor v2 logs DSSE envelopes as hashedrekord over the pre-authentication encoding.
    const expected = signed.kind === 'message' ? signed.artifact.require(logged.algorithm, `${where} digest`) : hash(logged.algorithm, signed.pae);
    if (!bytesEqual(logged.digest, expected)) {
      throw mismatch(signed.kind === 'message' ? `is for another artifact: logged ${logged.algorithm} digest differs from the artifact's` : 'is for another DSSE envelope: logged digest differs from the envelope');
    }
    return;
  }
  if (signed.kind !== 'dsse') throw mismatch('is an attestation entry, but the bundle holds a message signature');
  const payloadHash = body.payloadHash;
  if (!payloadHash || !bytesEqual(payloadHash.digest, hash(payloadHash.algorithm, signed.payload))) {
    throw mismatch('is for another DSSE payload: the logged payload hash differs');
  }
}

/**
 * On Rekor v1 a DSSE bundle needs a dsse or intoto entry. A hashedrekord 0.0.1 entry over the
 * PAE bytes is a blob signature: whoever holds one over bytes that form a valid PAE could
 * re-wrap it as an attestation. Only Rekor v2 logs DSSE as hashedrekord (0.0.2) over the PAE.
 */
function checkKindFitsContent(body: LoggedEntry, signed: SignedContent, where: string): void {
  if (signed.kind === 'dsse' && body.kind === 'hashedrekord' && body.version !== '0.0.2') {
    throw new VerificationError('VERIFY_TLOG_KIND_MISMATCH', `${where}: a DSSE bundle needs a dsse or intoto entry (or Rekor v2's hashedrekord 0.0.2), found hashedrekord ${body.version}, a blob signature`, {
      details: { expected: ['dsse', 'intoto', 'hashedrekord/0.0.2'], found: `hashedrekord/${body.version}` },
    });
  }
}

export function checkPromise(entry: TransparencyLogEntry, log: LogAuthority, where: string): Date {
  const fields = { body: entry.canonicalizedBody, integratedTime: entry.integratedTime, logIndex: entry.logIndex, logId: entry.logId };
  if (!verifySignedEntryTimestamp(fields, entry.inclusionPromise!.signedEntryTimestamp, log.publicKey!)) {
    throw new VerificationError('VERIFY_TLOG_SET_INVALID', `${where}: the signed entry timestamp does not verify with the key of log ${log.baseUrl}`);
  }
  const time = new Date(Number(entry.integratedTime) * 1000);
  // A parsed bundle bounds it; one built by a program may not.
  if (Number.isNaN(time.getTime())) {
    throw new VerificationError('VERIFY_TLOG_SET_INVALID', `${where}: expected an integrated time a date can hold, found ${entry.integratedTime} s`);
  }
  if (!isWithin(log.validFor, time)) {
    throw new VerificationError('VERIFY_TLOG_KEY_NOT_VALID', `${where}: the key of log ${log.baseUrl} was not valid at the integrated time ${time.toISOString()}`);
  }
  return time;
}

/** `name`: the checkpoint key name, the base URL's host for Rekor v1, its host name for Rekor v2. */
export function checkProof(entry: TransparencyLogEntry, log: LogAuthority, name: string, where: string): void {
  const proof = entry.inclusionProof!;
  try {
    const checkpoint = parseCheckpoint(proof.checkpoint!);
    verifyCheckpoint(checkpoint, { name, publicKey: log.publicKey!, keyId: log.checkpointKeyId ?? log.logId });
    if (checkpoint.treeSize !== proof.treeSize || !bytesEqual(checkpoint.rootHash, proof.rootHash)) {
      throw new VerificationError('VERIFY_TLOG_CHECKPOINT_INVALID', `${where}: the signed checkpoint (size ${checkpoint.treeSize}) is not for the proof's tree (size ${proof.treeSize}) and root`);
    }
  } catch (err) {
    if (err instanceof VerificationError) throw err;
    throw new VerificationError('VERIFY_TLOG_CHECKPOINT_INVALID', `${where}: checkpoint: ${describeError(err)}`, { cause: err });
  }
  checkPath(entry, where);
}

function checkPath(entry: TransparencyLogEntry, where: string): void {
  const proof = entry.inclusionProof!;
  try {
    verifyInclusionProof({ leafHash: leafHash(entry.canonicalizedBody), index: proof.logIndex, treeSize: proof.treeSize, proof: proof.hashes, rootHash: proof.rootHash });
  } catch (err) {
    throw new VerificationError('VERIFY_TLOG_PROOF_INVALID', `${where}: inclusion proof: ${describeError(err)}`, { cause: err });
  }
}
