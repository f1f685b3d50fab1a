import { parseStatement, preAuthEncoding, serializeEnvelope, type Envelope, type Statement } from '@sigil/bundle';
import { HASH_ALGORITHMS, HASH_SIZE, sha256, type HashAlgorithm } from '@sigil/crypto';
import { bytesEqual, decodeHex, derToPem, utf8Encode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { parseEntryBody } from '@sigil/rekor';
import { createRekorClient, dsseProposal, toTransparencyLogEntry, type RekorClient, type TransparencyLogEntry } from '@sigil/rekor/client';
import { IN_TOTO_PAYLOAD_TYPE, artifactFromDigests } from '@sigil/verify';
import { SignError } from './errors.js';
import { certify, checkOptions, finishBundle } from './keyless.js';
import type { SignOptions, SignResult } from './sign-blob.js';

/**
 * Keyless signing of an in-toto statement as a DSSE envelope (an attestation): token ->
 * ephemeral key -> Fulcio certificate -> signature over the envelope's PAE -> Rekor dsse
 * v0.0.1 entry (-> RFC 3161 timestamp) -> bundle v0.3. As with signBlob, every answer is
 * checked as it arrives and the bundle must verify (for a subject of the statement) before
 * it is returned. `statement` is the statement's JSON, signed byte for byte as given.
 */
export async function signDsse(statement: Uint8Array, options: SignOptions): Promise<SignResult> {
  if (!(statement instanceof Uint8Array)) throw new SignError('SIGN_OPTIONS_INVALID', 'signDsse: expected the in-toto statement as bytes');
  checkOptions(options);
  // A payload the verifier would refuse is refused before anything is uploaded.
  const subjectDigests = digestsOfASubject(parseStatement(statement));
  const certified = await certify(options);
  const signature = await certified.signer.sign(preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, statement));
  const envelope: Envelope = { payload: statement, payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ sig: signature, keyid: '' }] };
  options.onStep?.('artifact-signed');

  const rekor = createRekorClient({ url: options.rekorURL, ...options.http });
  const entry = await logEnvelope(rekor, envelope, certified.leaf.der);
  options.onStep?.('entry-logged');

  return finishBundle({ certified, content: { $case: 'dsseEnvelope', envelope }, signature, entry, artifact: artifactFromDigests(subjectDigests) }, options);
}

/** The digests of the first subject the verifier can compare: what the self-check verifies against. */
function digestsOfASubject(statement: Statement): Map<HashAlgorithm, Uint8Array> {
  for (const subject of statement.subjects) {
    const digests = new Map<HashAlgorithm, Uint8Array>();
    for (const algorithm of HASH_ALGORITHMS) {
      const hex = subject.digest[algorithm];
      if (hex !== undefined && hex.length === HASH_SIZE[algorithm] * 2) digests.set(algorithm, decodeHex(hex));
    }
    if (digests.size > 0) return digests;
  }
  throw new SignError('SIGN_OPTIONS_INVALID', `in-toto statement: expected a subject with a sha256, sha384 or sha512 digest, found none among ${statement.subjects.length} subject(s)`, {
    hint: 'a verifier finds the artifact by one of those digests',
  });
}

/**
 * Records the envelope as a dsse v0.0.1 entry and checks that the log recorded exactly it:
 * the hashes of this envelope text and this payload, this signature and this certificate.
 */
async function logEnvelope(rekor: RekorClient, envelope: Envelope, certificate: Uint8Array): Promise<TransparencyLogEntry> {
  const envelopeJson = JSON.stringify(serializeEnvelope(envelope));
  const entry = await rekor.createEntry(dsseProposal({ envelopeJson, verifierPems: [derToPem(certificate, 'CERTIFICATE')] }));
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
    !logged.verifiers.some((v) => bytesEqual(v.der, certificate)) && 'certificate',
  ].filter(Boolean);
  if (mismatches.length > 0) {
    throw new SignError('SIGN_LOG_ENTRY_MISMATCH', `Rekor entry ${entry.logIndex}: expected the ${mismatches.join(', ')} sent, found other values in the logged entry`);
  }
  return toTransparencyLogEntry(entry);
}
