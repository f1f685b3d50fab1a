import type { TransparencyLogEntry } from '@sigil/bundle';
import { describeError } from '@sigil/errors';
import { parseCertificate } from '@sigil/x509';
import type { TrustMaterial } from '@sigil/trust';
import { verifyCertificateAtTimes } from './certificate.js';
import { VerificationError } from './errors.js';
import { checkpointName, checkPromise, checkProof, findLog } from './tlog.js';

/** What one check found: done and passed, failed (with why), or not done (with why). */
export type CheckOutcome = { status: 'verified' } | { status: 'failed'; error: VerificationError } | { status: 'not-checked'; reason: string };

export interface LogEntryCheck {
  /** The trusted root's log the entry names, when it names one. */
  log: { baseUrl: string } | undefined;
  signedEntryTimestamp: CheckOutcome;
  inclusionProof: CheckOutcome;
  /** The integrated time, when a verified SET vouches for it. */
  integratedTime: Date | undefined;
}

/**
 * A log entry on its own, as a log served it (no bundle, no artifact): its log among the
 * trusted root's, its signed entry timestamp, and its inclusion proof against a signed
 * checkpoint. Every outcome is reported, none thrown: the caller shows what held.
 */
export function checkLogEntry(entry: TransparencyLogEntry, trust: TrustMaterial): LogEntryCheck {
  const where = `log entry ${entry.logIndex}`;
  let log;
  try {
    log = findLog(entry, trust, where);
  } catch (err) {
    const failed = { status: 'failed', error: asVerificationError(err, where) } as const;
    return { log: undefined, signedEntryTimestamp: failed, inclusionProof: { status: 'not-checked', reason: 'the log is not in the trusted root' }, integratedTime: undefined };
  }
  let integratedTime: Date | undefined;
  let signedEntryTimestamp: CheckOutcome;
  if (!entry.inclusionPromise || entry.inclusionPromise.signedEntryTimestamp.length === 0) {
    signedEntryTimestamp = { status: 'not-checked', reason: 'the log gave none' };
  } else {
    try {
      integratedTime = checkPromise(entry, log, where);
      signedEntryTimestamp = { status: 'verified' };
    } catch (err) {
      signedEntryTimestamp = { status: 'failed', error: asVerificationError(err, where) };
    }
  }
  let inclusionProof: CheckOutcome;
  if (!entry.inclusionProof) inclusionProof = { status: 'not-checked', reason: 'the log gave none' };
  else if (entry.inclusionProof.checkpoint === undefined || entry.inclusionProof.checkpoint === '') inclusionProof = { status: 'not-checked', reason: 'the proof has no signed checkpoint' };
  else {
    try {
      checkProof(entry, log, checkpointName(entry, log), where);
      inclusionProof = { status: 'verified' };
    } catch (err) {
      inclusionProof = { status: 'failed', error: asVerificationError(err, where) };
    }
  }
  return { log: { baseUrl: log.baseUrl }, signedEntryTimestamp, inclusionProof, integratedTime };
}

/** A logged signing certificate against the trusted root's Fulcio CAs at a verified time. */
export function checkCertificateChain(der: Uint8Array, trust: TrustMaterial, time: Date | undefined): CheckOutcome {
  if (time === undefined) return { status: 'not-checked', reason: 'no verified time to check it at (the signed entry timestamp did not verify)' };
  try {
    verifyCertificateAtTimes(parseCertificate(der), trust, [time]);
    return { status: 'verified' };
  } catch (err) {
    return { status: 'failed', error: asVerificationError(err, 'signing certificate', 'VERIFY_CERTIFICATE_INVALID') };
  }
}

function asVerificationError(err: unknown, where: string, code: 'VERIFY_TLOG_BODY_INVALID' | 'VERIFY_CERTIFICATE_INVALID' = 'VERIFY_TLOG_BODY_INVALID'): VerificationError {
  if (err instanceof VerificationError) return err;
  return new VerificationError(code, `${where}: ${describeError(err)}`, { cause: err });
}
