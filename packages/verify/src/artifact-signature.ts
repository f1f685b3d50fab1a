import type { Bundle } from '@sigil/bundle';
import { parseStatement, type Statement } from '@sigil/bundle';
import { HASH_ALGORITHMS, verifyDigestSignature, verifySignature, type HashAlgorithm } from '@sigil/crypto';
import { bytesEqual, decodeHex, encodeHex } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import type { ArtifactDigests } from './artifact.js';
import { VerificationError } from './errors.js';
import type { SigningKeyMaterial } from './key-material.js';
import type { SignedContent } from './signed-content.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/**
 * The signature must verify over the artifact (message signatures) or over the envelope
 * (DSSE), and a DSSE statement must name the artifact among its subjects.
 * Returns the statement for DSSE bundles.
 */
export async function verifyArtifactSignature(bundle: Bundle, key: SigningKeyMaterial, signed: SignedContent): Promise<Statement | undefined> {
  if (signed.kind === 'message') {
    await verifyMessageSignature(bundle, key, signed.signature, signed.artifact);
    return undefined;
  }
  if (!verifySignature(key.publicKey, signed.pae, signed.signature)) {
    throw new VerificationError('VERIFY_SIGNATURE_INVALID', 'DSSE signature: does not verify over the envelope with the signing key');
  }
  if (signed.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new VerificationError('VERIFY_DSSE_INVALID', `DSSE payload type: expected ${IN_TOTO_PAYLOAD_TYPE}, found ${JSON.stringify(signed.payloadType)}`);
  }
  let statement: Statement;
  try {
    statement = parseStatement(signed.payload);
  } catch (err) {
    throw new VerificationError('VERIFY_DSSE_INVALID', `in-toto statement: ${describeError(err)}`, { cause: err });
  }
  return statement;
}

async function verifyMessageSignature(bundle: Bundle, key: SigningKeyMaterial, signature: Uint8Array, artifact: ArtifactDigests): Promise<void> {
  const content = bundle.content;
  const messageDigest = content.$case === 'messageSignature' ? content.messageDigest : undefined;
  // The bundle's digest is only a hint, but a hint that disagrees with the artifact is a failure.
  if (messageDigest && !bytesEqual(artifact.require(messageDigest.algorithm, 'message digest'), messageDigest.digest)) {
    throw new VerificationError('VERIFY_ARTIFACT_MISMATCH', `artifact: its ${messageDigest.algorithm} digest differs from the digest the bundle says was signed`, {
      details: { expected: encodeHex(messageDigest.digest), actual: encodeHex(artifact.get(messageDigest.algorithm)!) },
    });
  }
  const publicKey = key.publicKey;
  // Signers pick the hash (a P-384 key may sign SHA-256); the bundle's digest names it.
  const hashAlg: HashAlgorithm | null = publicKey.kind === 'ed25519' ? null : (messageDigest?.algorithm ?? publicKey.defaultHash);
  let ok: boolean;
  if (artifact.artifact.kind === 'bytes') {
    ok = verifySignature(publicKey, artifact.artifact.bytes, signature, hashAlg ? { hash: hashAlg } : {});
  } else {
    if (!hashAlg) {
      throw new VerificationError('VERIFY_ARTIFACT_UNSUPPORTED', 'artifact: an Ed25519 signature covers the whole artifact; a digest alone cannot be checked', {
        hint: 'pass the artifact file itself',
      });
    }
    ok = await verifyDigestSignature(publicKey, artifact.require(hashAlg, 'artifact signature'), signature, { hash: hashAlg });
  }
  if (!ok) {
    throw new VerificationError('VERIFY_SIGNATURE_INVALID', 'artifact signature: does not verify over the artifact with the signing key: the artifact is not the one that was signed, or the signature was altered');
  }
}

/** The statement must name the artifact: any subject digest, in any algorithm we can compute. */
export function checkStatementSubject(statement: Statement, artifact: ArtifactDigests): void {
  let comparable = 0;
  for (const subject of statement.subjects) {
    for (const algorithm of HASH_ALGORITHMS) {
      const hex = subject.digest[algorithm];
      if (hex === undefined) continue;
      const digest = artifact.get(algorithm);
      if (!digest) continue;
      comparable++;
      if (bytesEqual(digest, decodeHex(hex))) return;
    }
  }
  if (comparable === 0) {
    const algorithms = [...new Set(statement.subjects.flatMap((s) => Object.keys(s.digest)))].join(', ') || 'none';
    throw new VerificationError('VERIFY_ARTIFACT_UNSUPPORTED', `in-toto statement subjects: they carry ${algorithms} digests, which cannot be compared with the artifact as given`, {
      hint: 'pass the artifact file itself so that every digest can be computed',
    });
  }
  throw new VerificationError('VERIFY_ARTIFACT_MISMATCH', `in-toto statement subjects: expected one to carry the artifact's digest, found none among ${statement.subjects.length} subject(s)`, {
    details: { subjects: statement.subjects.map((s) => s.name) },
  });
}
