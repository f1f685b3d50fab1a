import { serializeEnvelope, type Envelope, type TransparencyLogEntry } from '@sigil/bundle';
import { sha256 } from '@sigil/crypto';
import { bytesEqual, derToPem, utf8Encode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { parseEntryBody } from '@sigil/rekor';
import { dsseProposal, hashedRekordProposal, toTransparencyLogEntry, type RekorClient } from '@sigil/rekor/client';
import { SignError } from './errors.js';

/** Who the log entry names as verifier: the signing certificate, or a key's SPKI. */
export type LogVerifier = { certificate: Uint8Array } | { publicKey: Uint8Array };

export interface LoggedSignature {
  sha256: Uint8Array;
  signature: Uint8Array;
  verifier: LogVerifier;
}

function verifierPem(verifier: LogVerifier): { certificatePem: string } | { publicKeyPem: string } {
  return 'certificate' in verifier ? { certificatePem: derToPem(verifier.certificate, 'CERTIFICATE') } : { publicKeyPem: derToPem(verifier.publicKey, 'PUBLIC KEY') };
}

function verifierDer(verifier: LogVerifier): Uint8Array {
  return 'certificate' in verifier ? verifier.certificate : verifier.publicKey;
}

function verifierName(verifier: LogVerifier): string {
  return 'certificate' in verifier ? 'certificate' : 'public key';
}

/**
 * Records the signature in Rekor as a hashedrekord entry and checks that the log recorded
 * exactly that: this digest, this signature, this certificate or key. The SET and inclusion proof
 * are checked with the rest of the bundle by the verifier before the bundle is handed out.
 */
export async function logSignature(rekor: RekorClient, signed: LoggedSignature): Promise<TransparencyLogEntry> {
  const { verifier } = signed;
  const entry = await rekor.createEntry(hashedRekordProposal({ digest: signed.sha256, signature: signed.signature, ...verifierPem(verifier) }));
  let logged;
  try {
    logged = parseEntryBody(entry.body, { kind: 'hashedrekord', version: '0.0.1' });
  } catch (err) {
    throw new SignError('SIGN_LOG_ENTRY_MISMATCH', `Rekor entry ${entry.logIndex}: expected the hashedrekord entry sent, found a body that does not read as one (${describeError(err)})`, { cause: err });
  }
  const sameDigest = logged.artifactDigest?.algorithm === 'sha256' && bytesEqual(logged.artifactDigest.digest, signed.sha256);
  const sameSignature = logged.signatures.some((sig) => bytesEqual(sig, signed.signature));
  const sameVerifier = logged.verifiers.some((v) => bytesEqual(v.der, verifierDer(verifier)));
  if (!sameDigest || !sameSignature || !sameVerifier) {
    const what = [!sameDigest && 'digest', !sameSignature && 'signature', !sameVerifier && verifierName(verifier)].filter(Boolean).join(', ');
    throw new SignError('SIGN_LOG_ENTRY_MISMATCH', `Rekor entry ${entry.logIndex}: expected the ${what} sent, found other values in the logged entry`);
  }
  return toTransparencyLogEntry(entry);
}

/**
 * Records the envelope as a dsse v0.0.1 entry and checks that the log recorded exactly it:
 * the hashes of this envelope text and this payload, this signature and this certificate.
 */
export async function logEnvelope(rekor: RekorClient, envelope: Envelope, verifier: LogVerifier): Promise<TransparencyLogEntry> {
  const envelopeJson = JSON.stringify(serializeEnvelope(envelope));
  const pem = verifierPem(verifier);
  const entry = await rekor.createEntry(dsseProposal({ envelopeJson, verifierPems: ['certificatePem' in pem ? pem.certificatePem : pem.publicKeyPem] }));
  let logged;
  try {
    logged = parseEntryBody(entry.body, { kind: 'dsse', version: '0.0.1' });
  } catch (err) {
    throw new SignError('SIGN_LOG_ENTRY_MISMATCH', `Rekor entry ${entry.logIndex}: expected the dsse entry sent, found a body that does not read as one (${describeError(err)})`, { cause: err });
  }
  const mismatches = [
    !bytesEqual(logged.envelopeHash?.digest ?? new Uint8Array(), sha256(utf8Encode(envelopeJson))) && 'envelope hash',
    !bytesEqual(logged.payloadHash?.digest ?? new Uint8Array(), sha256(envelope.payload)) && 'payload hash',
    !logged.signatures.some((sig) => bytesEqual(sig, envelope.signatures[0]!.sig)) && 'signature',
    !logged.verifiers.some((v) => bytesEqual(v.der, verifierDer(verifier))) && verifierName(verifier),
  ].filter(Boolean);
  if (mismatches.length > 0) {
    throw new SignError('SIGN_LOG_ENTRY_MISMATCH', `Rekor entry ${entry.logIndex}: expected the ${mismatches.join(', ')} sent, found other values in the logged entry`);
  }
  return toTransparencyLogEntry(entry);
}
