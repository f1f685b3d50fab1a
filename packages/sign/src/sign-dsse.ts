import { parseStatement, preAuthEncoding, type Envelope, type Statement } from '@sigil/bundle';
import { HASH_ALGORITHMS, HASH_SIZE, type HashAlgorithm } from '@sigil/crypto';
import { decodeHex } from '@sigil/encoding';
import { IN_TOTO_PAYLOAD_TYPE, artifactFromDigests } from '@sigil/verify';
import { SignError } from './errors.js';
import { certify, checkOptions, finishBundle, rawVerifierOf } from './keyless.js';
import { logEnvelope } from './transparency-log.js';
import { logEnvelopeV2 } from './transparency-log-v2.js';
import { logToEach } from './transparency-logs.js';
import type { SignOptions, SignResult } from './sign-blob.js';

/**
 * Keyless signing of an in-toto statement as a DSSE envelope (an attestation): token ->
 * ephemeral key -> Fulcio certificate -> signature over the envelope's PAE -> Rekor dsse
 * dsse entry in each log the options select (v1: dsse 0.0.1; v2: dsse 0.0.2) (-> RFC 3161
 * timestamps) -> bundle v0.3. As with signBlob, every answer is
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

  const entries = await logToEach(options, {
    v1: (rekor) => logEnvelope(rekor, envelope, { certificate: certified.leaf.der }),
    v2: (rekor) => logEnvelopeV2(rekor, envelope, rawVerifierOf(certified)),
  });
  options.onStep?.('entry-logged');

  return finishBundle({ certified, content: { $case: 'dsseEnvelope', envelope }, signature, entries, artifact: artifactFromDigests(subjectDigests) }, options);
}

/** The digests of the first subject the verifier can compare: what the self-check verifies against. */
export function digestsOfASubject(statement: Statement): Map<HashAlgorithm, Uint8Array> {
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
