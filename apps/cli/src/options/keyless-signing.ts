import type { SignOptions } from '@sigil/sign';
import { confirmUpload } from '../consent.js';
import { identityTokenSource, type IdentityTokenFlags } from './identity-token.js';
import { servicesFrom, servicesGiven, signingServicesFromFlags, type SigningServiceFlags } from './signing-services.js';
import { signingFromTuf } from './tuf-targets.js';
import { trustFromFlags, type TrustFlags } from './trust.js';

export type KeylessSigningFlags = SigningServiceFlags & TrustFlags & IdentityTokenFlags & { yes?: boolean | undefined };

/**
 * Services, trust and the identity token from the flags (and CI variables), after the
 * signer agreed to publish their identity: everything sign* needs but the artifact. Without a
 * signing config or service URLs, the services and the trusted root come from a TUF refresh.
 */
export async function keylessSigningFromFlags(flags: KeylessSigningFlags): Promise<SignOptions> {
  const tuf = servicesGiven(flags) ? undefined : await signingFromTuf(flags);
  const services = tuf ? servicesFrom(flags, tuf.config, `the signing config of TUF mirror ${tuf.mirror}`) : signingServicesFromFlags(flags);
  const trust = tuf && flags['trusted-root'] === undefined ? tuf.trust : trustFromFlags(flags);
  const identityToken = await identityTokenSource(flags).getToken();
  await confirmUpload(flags.yes === true);
  return { identityToken, fulcioURL: services.fulcioURL, transparencyLogs: services.transparencyLogs, tsaURLs: services.tsaURLs, knownIssuers: services.knownIssuers, trust };
}
