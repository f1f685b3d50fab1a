import type { SignOptions } from '@sigil/sign';
import { confirmUpload } from '../consent.js';
import { identityTokenSource, type IdentityTokenFlags } from './identity-token.js';
import { signingServicesFromFlags, type SigningServiceFlags } from './signing-services.js';
import { trustFromFlags, type TrustFlags } from './trust.js';

export type KeylessSigningFlags = SigningServiceFlags & TrustFlags & IdentityTokenFlags & { yes?: boolean | undefined };

/**
 * Services, trust and the identity token from the flags (and CI variables), after the
 * signer agreed to publish their identity: everything sign* needs but the artifact.
 */
export async function keylessSigningFromFlags(flags: KeylessSigningFlags): Promise<SignOptions> {
  const services = signingServicesFromFlags(flags);
  const trust = trustFromFlags(flags);
  const identityToken = await identityTokenSource(flags).getToken();
  await confirmUpload(flags.yes === true);
  return { identityToken, fulcioURL: services.fulcioURL, rekorURL: services.rekorURL, tsaURL: services.tsaURL, knownIssuers: services.knownIssuers, trust };
}
