import { describeError, isSigilError } from '@sigil/errors';
import { isWithin, describeWindow, type CertificateAuthorityTrust, type TrustMaterial } from '@sigil/trust';
import { precheckIssuerSignatures, verifyCertificatePath, verifyEmbeddedScts, type Certificate } from '@sigil/x509';
import { VerificationError } from './errors.js';

/**
 * The leaf must chain to a trusted Fulcio CA at every verified signing time: the CA's
 * validity window and every certificate on the path must contain that time.
 * Returns the path found at the first time (leaf first, anchor last).
 */
export function verifyCertificateAtTimes(leaf: Certificate, trust: TrustMaterial, times: readonly Date[]): Certificate[] {
  let path: Certificate[] | undefined;
  for (const time of times) {
    const found = pathAt(leaf, trust.certificateAuthorities, time);
    path ??= found;
  }
  if (!path) throw new VerificationError('VERIFY_TIMESTAMP_MISSING', 'signing certificate: no verified time to check it at');
  return path;
}

/**
 * Starts the checks of the leaf's signature by its CA, and of the CA chain's own links, on
 * the thread pool (P-384 signatures: the costliest checks of a keyless bundle), for
 * verifyCertificateAtTimes to find done; links checked before are not checked again. Never rejects.
 */
export async function precheckLeafSignature(leaf: Certificate, trust: TrustMaterial): Promise<void> {
  try {
    // Only CAs trusted while the leaf was valid can be on its path: leave the others undecoded.
    const candidates = trust.certificateAuthorities.filter((ca) => isWithin(ca.validFor, leaf.notBefore) || isWithin(ca.validFor, leaf.notAfter));
    await Promise.all(
      candidates.flatMap((ca) => [precheckIssuerSignatures(leaf, ca.chain), ...ca.chain.slice(0, -1).map((cert, i) => precheckIssuerSignatures(cert, ca.chain.slice(i + 1)))]),
    );
  } catch {
    // a CA chain that cannot be read: the path check reports it
  }
}

function pathAt(leaf: Certificate, authorities: readonly CertificateAuthorityTrust[], time: Date): Certificate[] {
  // Said only if no CA fits: a public-good root lists CAs retired years ago, and a verification
  // that passes should not spell out their windows.
  const reasons: (() => string)[] = [];
  let profileError: unknown;
  for (const ca of authorities) {
    if (!isWithin(ca.validFor, time)) {
      reasons.push(() => `${ca.uri || 'a CA'} is trusted only for ${describeWindow(ca.validFor)}`);
      continue;
    }
    try {
      return verifyCertificatePath(leaf, ca.chain, time, { leafPurpose: 'codeSigning' });
    } catch (err) {
      if (isSigilError(err) && PROFILE_CODES.has(err.code)) profileError ??= err;
      const problem = `${ca.uri || 'a CA'}: ${describeError(err)}`;
      reasons.push(() => problem);
    }
  }
  if (profileError) {
    throw new VerificationError('VERIFY_CERTIFICATE_INVALID', `signing certificate: ${describeError(profileError)}`, { cause: profileError });
  }
  throw new VerificationError(
    'VERIFY_CERTIFICATE_UNTRUSTED',
    `signing certificate: expected it to chain to a CA of the trusted root at the signing time ${time.toISOString()}, found none that does (${reasons.map((reason) => reason()).join('; ') || 'the trusted root lists no CA'})`,
    { details: { time: time.toISOString(), notBefore: leaf.notBefore.toISOString(), notAfter: leaf.notAfter.toISOString() } },
  );
}

// Failures of the certificate itself rather than of its chain.
const PROFILE_CODES = new Set(['X509_MISSING_EKU', 'X509_KEY_USAGE', 'X509_UNKNOWN_CRITICAL_EXTENSION']);

/** Counts the distinct CT logs that vouch for the leaf through embedded SCTs. */
export function verifyCertificateTransparency(leaf: Certificate, issuer: Certificate, trust: TrustMaterial, threshold: number): number {
  if (threshold <= 0) return 0;
  // The trust material's logs, whose keys are imported only when an SCT names them.
  const logs = trust.ctlogs;
  let verified: number;
  try {
    verified = verifyEmbeddedScts(leaf, issuer, logs).verifiedLogIds.length;
  } catch (err) {
    throw new VerificationError('VERIFY_SCT_INVALID', `signing certificate SCTs: ${describeError(err)}`, { cause: err });
  }
  if (verified < threshold) {
    throw new VerificationError('VERIFY_SCT_MISSING', `signing certificate: expected ${threshold} signed certificate timestamp(s) from CT logs of the trusted root, found ${verified} that verify`);
  }
  return verified;
}
