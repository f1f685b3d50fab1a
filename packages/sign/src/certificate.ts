import { bytesEqual } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import type { FulcioClient } from '@sigil/fulcio';
import type { Signer } from '@sigil/keys';
import type { PreflightResult } from '@sigil/oidc';
import type { TrustMaterial } from '@sigil/trust';
import { certificateIdentity, parseCertificate, verifyCertificatePath, verifyEmbeddedScts, type Certificate } from '@sigil/x509';
import { SignError } from './errors.js';

/**
 * A Fulcio certificate for `signer`, checked before anything is signed with it: it holds
 * this key and the token's identity and issuer, chains to a CA of the trusted root and
 * carries a verified SCT.
 */
export async function obtainCertificate(
  fulcio: FulcioClient,
  token: string,
  signer: Signer,
  identity: PreflightResult,
  trust: TrustMaterial,
): Promise<{ leaf: Certificate; chain: Uint8Array[] }> {
  const { chain } = await fulcio.signingCertificate({ token, signer, challenge: identity.challenge });
  const leaf = parseCertificate(chain[0]!);
  if (!bytesEqual(leaf.spkiDer, signer.spki)) {
    throw new SignError('SIGN_CERTIFICATE_MISMATCH', 'Fulcio certificate: expected it to certify the signing key sent, found another key');
  }
  const certified = certificateIdentity(leaf);
  if (certified.san !== identity.identity || certified.issuer !== identity.issuer) {
    throw new SignError(
      'SIGN_CERTIFICATE_MISMATCH',
      `Fulcio certificate: expected identity ${JSON.stringify(identity.identity)} from ${JSON.stringify(identity.issuer)}, found ${JSON.stringify(certified.san)} from ${JSON.stringify(certified.issuer)}`,
    );
  }
  checkTrusted(leaf, trust);
  return { leaf, chain: chain.slice(1) };
}

function checkTrusted(leaf: Certificate, trust: TrustMaterial): void {
  const reasons: string[] = [];
  for (const ca of trust.certificateAuthorities) {
    try {
      const path = verifyCertificatePath(leaf, ca.chain, leaf.notBefore, { leafPurpose: 'codeSigning' });
      // A log's key is imported only when an SCT names it, or when none verifies and the root
      // might hold no usable CT log at all (then there is nothing to check the SCTs against).
      const verified = verifyEmbeddedScts(leaf, path[1] ?? path[0]!, trust.ctlogs).verifiedLogIds.length > 0;
      if (!verified && trust.ctlogs.some((log) => log.publicKey !== undefined)) {
        reasons.push(`${ca.uri}: no SCT from a trusted CT log verifies`);
        continue;
      }
      return;
    } catch (err) {
      reasons.push(`${ca.uri}: ${describeError(err)}`);
    }
  }
  throw new SignError('SIGN_CERTIFICATE_UNTRUSTED', `Fulcio certificate: expected it to chain to a CA of the trusted root, found none that does (${reasons.join('; ') || 'no CA'})`, {
    hint: 'pass the trusted root of the Sigstore instance you sign with (--trusted-root)',
  });
}
