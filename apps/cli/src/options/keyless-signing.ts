import type { SignOptions } from '@sigil/sign';
import type { TrustMaterial } from '@sigil/trust';
import type { Io } from '../command.js';
import { confirmUpload } from '../consent.js';
import { identityTokenSource, type IdentityTokenFlags } from './identity-token.js';
import { servicesFrom, servicesGiven, signingServicesFromFlags, type SigningServiceFlags, type SigningServices } from './signing-services.js';
import { signingFromTuf } from './tuf-targets.js';
import { trustFromFlags, type TrustFlags } from './trust.js';

export type KeylessSigningFlags = SigningServiceFlags & TrustFlags & IdentityTokenFlags & { yes?: boolean | undefined };

/**
 * The services and the trusted root a signature is made with and checked against: from the
 * flags or a signing config, else from a TUF refresh (cosign 3's default).
 */
export async function servicesAndTrust(flags: SigningServiceFlags & TrustFlags, io: Pick<Io, 'stderr'>): Promise<{ services: SigningServices; trust: TrustMaterial }> {
  const tuf = servicesGiven(flags) ? undefined : await signingFromTuf(flags);
  const services = tuf ? servicesFrom(flags, tuf.config, `the signing config of TUF mirror ${tuf.mirror}`) : signingServicesFromFlags(flags);
  const trust = tuf && flags['trusted-root'] === undefined ? tuf.trust : trustFromFlags(flags, io);
  return { services, trust };
}

/**
 * Services, trust and the identity token from the flags (and CI variables), after the
 * signer agreed to publish their identity: everything sign* needs but the artifact.
 */
export async function keylessSigningFromFlags(flags: KeylessSigningFlags, io: Pick<Io, 'stderr'>): Promise<SignOptions> {
  const { services, trust } = await servicesAndTrust(flags, io);
  const identityToken = await identityTokenSource(flags).getToken();
  await confirmUpload(flags.yes === true);
  return { identityToken, fulcioURL: services.fulcioURL, transparencyLogs: services.transparencyLogs, tsaURLs: services.tsaURLs, knownIssuers: services.knownIssuers, trust };
}
