// Signing into Rekor v2 (rekor-tiles): the request carries the digest and the DER certificate;
// the log answers with the entry, an inclusion proof and a checkpoint (no SET, no time: the
// bundle's RFC 3161 timestamp dates it). The canonical body must be, byte for byte, the one
// this signature, digest and certificate make: anything else is not what was sent.
import { preAuthEncoding, type Envelope, type TransparencyLogEntry } from '@sigil/bundle';
import { hash, sha256 } from '@sigil/crypto';
import { bytesEqual } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { dsseV002Body, hashedRekordV002Body, KEY_DETAILS_HASH, type RawVerifier } from '@sigil/rekor';
import { RekorClientError, dsseV002Request, hashedRekordV002Request, type RekorV2Client } from '@sigil/rekor/client';
import { SignError } from './errors.js';

/** A blob signature as hashedrekord 0.0.2 over the artifact's digest. */
export async function logSignatureV2(rekor: RekorV2Client, signed: { digest: Uint8Array; signature: Uint8Array; verifier: RawVerifier }): Promise<TransparencyLogEntry> {
  const entry = await rekor.createEntry(hashedRekordV002Request(signed));
  return checked(entry, 'hashedrekord', hashedRekordV002Body(signed), rekor.url);
}

/**
 * An envelope as dsse 0.0.2, which today's verifiers (sigstore-js 3 and 4) read; a log that no
 * longer takes DSSE requests (rekor-tiles since June 2026 answers 400) gets what it asks for
 * instead, a hashedrekord 0.0.2 over the digest of the envelope's PAE.
 */
export async function logEnvelopeV2(rekor: RekorV2Client, envelope: Envelope, verifier: RawVerifier): Promise<TransparencyLogEntry> {
  const signature = envelope.signatures[0]!.sig;
  const request = dsseV002Request({ payload: envelope.payload, payloadType: envelope.payloadType, signatures: [{ sig: signature }], verifiers: [verifier] });
  try {
    const entry = await rekor.createEntry(request);
    return checked(entry, 'dsse', dsseV002Body({ payloadHash: sha256(envelope.payload), signatures: [{ signature, verifier }] }), rekor.url);
  } catch (err) {
    if (!(err instanceof RekorClientError && err.code === 'REKOR_CLIENT_HTTP' && err.details?.status === 400)) throw err;
  }
  const digest = hash(KEY_DETAILS_HASH[verifier.keyDetails] ?? 'sha256', preAuthEncoding(envelope.payloadType, envelope.payload));
  return logSignatureV2(rekor, { digest, signature, verifier });
}

function checked(entry: TransparencyLogEntry, kind: string, expected: Uint8Array, url: string): TransparencyLogEntry {
  const where = `Rekor v2 log ${url} entry ${entry.logIndex}`;
  if (entry.kindVersion.kind !== kind || entry.kindVersion.version !== '0.0.2') {
    throw new SignError('SIGN_LOG_ENTRY_MISMATCH', `${where}: expected a ${kind} 0.0.2 entry, found ${entry.kindVersion.kind} ${entry.kindVersion.version}`);
  }
  if (!bytesEqual(entry.canonicalizedBody, expected)) {
    throw new SignError('SIGN_LOG_ENTRY_MISMATCH', `${where}: expected the canonical body of the ${kind} entry sent, found another body`, {
      details: { expected: describeBody(expected), found: describeBody(entry.canonicalizedBody) },
    });
  }
  if (!entry.inclusionProof?.checkpoint) throw new SignError('SIGN_LOG_ENTRY_MISMATCH', `${where}: expected an inclusion proof with a checkpoint, found none`);
  return entry;
}

function describeBody(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(0, 200));
  } catch (err) {
    return `${body.length} bytes that are not UTF-8 (${describeError(err)})`;
  }
}
