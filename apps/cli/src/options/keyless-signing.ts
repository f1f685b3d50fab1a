import { defaultTokenSource } from '@sigil/oidc';
import type { SignOptions } from '@sigil/sign';
import type { OptionSpecs } from '../command.js';
import { confirmUpload } from '../consent.js';
import { servicesFrom, servicesGiven, signingServicesFromFlags, type SigningServiceFlags } from './signing-services.js';
import { signingFromTuf } from './tuf-targets.js';
import { trustFromFlags, type TrustFlags } from './trust.js';

/** The flags every keyless signing command shares with cosign. */
export const KEYLESS_SIGNING_OPTIONS: OptionSpecs = {
  'identity-token': { type: 'string' },
  'fulcio-url': { type: 'string' },
  'rekor-url': { type: 'string' },
  'timestamp-server-url': { type: 'string' },
  'signing-config': { type: 'string' },
  'trusted-root': { type: 'string' },
  staging: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
};

export type KeylessSigningFlags = SigningServiceFlags & TrustFlags & { 'identity-token'?: string | undefined; yes?: boolean | undefined };

/**
 * Services, trust and the identity token from the flags (and CI variables), after the
 * signer agreed to publish their identity: everything sign* needs but the artifact. Without a
 * signing config or service URLs, the services and the trusted root come from a TUF refresh.
 */
export async function keylessSigningFromFlags(flags: KeylessSigningFlags): Promise<SignOptions> {
  const tuf = servicesGiven(flags) ? undefined : await signingFromTuf(flags);
  const services = tuf ? servicesFrom(flags, tuf.config, `the signing config of TUF mirror ${tuf.mirror}`) : signingServicesFromFlags(flags);
  const trust = tuf && flags['trusted-root'] === undefined ? tuf.trust : trustFromFlags(flags);
  const identityToken = await defaultTokenSource({ flag: flags['identity-token'] }).getToken();
  await confirmUpload(flags.yes === true);
  return { identityToken, fulcioURL: services.fulcioURL, transparencyLogs: services.transparencyLogs, tsaURLs: services.tsaURLs, knownIssuers: services.knownIssuers, trust };
}
