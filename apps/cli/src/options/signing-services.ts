import { parseSigningConfig, type Service, type SigningConfig } from '@sigil/bundle';
import { readTextFileLimited } from '../files.js';

export interface SigningServices {
  fulcioURL: string;
  rekorURL: string;
  tsaURL: string | undefined;
  knownIssuers: string[] | undefined;
}

// cosign's defaults: the public-good instance.
const PUBLIC_GOOD = { fulcioURL: 'https://fulcio.sigstore.dev', rekorURL: 'https://rekor.sigstore.dev' };

export interface SigningServiceFlags {
  'fulcio-url'?: string | undefined;
  'rekor-url'?: string | undefined;
  'timestamp-server-url'?: string | undefined;
  'signing-config'?: string | undefined;
}

/**
 * Flags win over the signing config (--signing-config, or SIGIL_SIGNING_CONFIG for CI
 * variables), which wins over the public-good defaults.
 */
export function signingServicesFromFlags(flags: SigningServiceFlags, env: NodeJS.ProcessEnv = process.env): SigningServices {
  const configFile = flags['signing-config'] ?? (env.SIGIL_SIGNING_CONFIG || undefined);
  const config = configFile ? parseSigningConfig(readTextFileLimited(configFile, 'signing config', 1024 * 1024)) : undefined;
  return {
    fulcioURL: flags['fulcio-url'] ?? newest(config?.caUrls, 1) ?? PUBLIC_GOOD.fulcioURL,
    rekorURL: flags['rekor-url'] ?? newest(config?.rekorTlogUrls, 1) ?? PUBLIC_GOOD.rekorURL,
    tsaURL: flags['timestamp-server-url'] ?? newest(config?.tsaUrls, 1),
    knownIssuers: config ? config.oidcUrls.map((s) => s.url) : undefined,
  };
}

/** The service of the given API version valid now with the newest start (signing config rules). */
function newest(services: SigningConfig['caUrls'] | undefined, majorApiVersion: number): string | undefined {
  const now = Date.now();
  const valid = (services ?? []).filter(
    (s: Service) => s.majorApiVersion === majorApiVersion && (s.validFor.start?.getTime() ?? Infinity) <= now && (s.validFor.end?.getTime() ?? Infinity) >= now,
  );
  valid.sort((a, b) => (b.validFor.start?.getTime() ?? 0) - (a.validFor.start?.getTime() ?? 0));
  return valid[0]?.url;
}
