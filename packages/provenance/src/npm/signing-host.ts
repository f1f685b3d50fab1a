import type { SignerIdentity } from '@sigil/verify';
import { ProvenanceError } from '../errors.js';

/**
 * A Fulcio fills Source Repository URI from its CI provider template, whose GitLab URL is
 * https://gitlab.com unless its operator sets another: a self-managed instance's certificates
 * then name gitlab.com there while the instance that signed (the SAN, from the token's
 * ci_config_ref_uri) is another host. Such a certificate says nothing of the repository it
 * names, so it is refused whether or not the provenance names the same URL.
 * It applies to every certificate, not only GitLab's: the statement's layout is the signer's
 * choice, so a check keyed to it could be stepped around; and npm takes provenance only from
 * GitHub Actions and GitLab CI, whose certificates name one host for both.
 */
export function checkSigningHost(certified: string, inProvenance: string, signer: SignerIdentity): void {
  const signedBy = hostOf(signer.extensions.buildSignerURI ?? signer.identity);
  const certifiedHost = hostOf(certified);
  if (signedBy === undefined || certifiedHost === undefined || certifiedHost === signedBy) return;
  throw new ProvenanceError(
    'PROVENANCE_NPM_SOURCE_MISMATCH',
    `provenance source repository: the signing certificate's Source Repository URI ${JSON.stringify(certified)} is on ${certifiedHost}, but the instance that signed is ${signedBy} ` +
      `(the certificate's identity ${JSON.stringify(signer.identity)}, issuer ${JSON.stringify(signer.issuer)}); the provenance names ${JSON.stringify(inProvenance)}. ` +
      `The Fulcio that issued the certificate puts another host in Source Repository URI than the instance that signed`,
    {
      details: { field: 'source repository', expected: certified, found: inProvenance, certificateHost: certifiedHost, signingInstanceHost: signedBy },
      hint: `the Fulcio's CI provider template must name this instance's URL (for GitLab, ci-issuer-metadata url: https://${signedBy}); until then its certificates cannot be bound to provenance from ${signedBy}`,
    },
  );
}

function hostOf(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  try {
    return new URL(uri).host.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}
