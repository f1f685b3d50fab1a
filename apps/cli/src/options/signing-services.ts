import { parseSigningConfig, type Service, type SigningConfig } from '@sigil/bundle';
import { usageError } from '../cli-error.js';
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
  return servicesFrom(flags, config, `signing config ${configFile}`);
}

/** Whether the flags or CI variables name the services: then signing does not need TUF's signing config. */
export function servicesGiven(flags: SigningServiceFlags, env: NodeJS.ProcessEnv = process.env): boolean {
  return [flags['signing-config'], env.SIGIL_SIGNING_CONFIG || undefined, flags['fulcio-url'], flags['rekor-url'], flags['timestamp-server-url']].some((v) => v !== undefined);
}

/** The services of a signing config (from a file or from TUF), flags still winning. */
export function servicesFrom(flags: SigningServiceFlags, config: SigningConfig | undefined, label: string): SigningServices {
  // A signing config that names no usable service is a mistake, not a reason to fall back
  // on the public-good instance.
  const fromConfig = (services: SigningConfig['caUrls'], what: string) => {
    const url = newest(services, 1);
    if (!url) throw usageError(`${label}: expected a ${what} with API version 1 valid now, found none`);
    return url;
  };
  return {
    fulcioURL: flags['fulcio-url'] ?? (config ? fromConfig(config.caUrls, 'Fulcio') : PUBLIC_GOOD.fulcioURL),
    rekorURL: flags['rekor-url'] ?? (config ? fromConfig(config.rekorTlogUrls, 'Rekor v1 log') : PUBLIC_GOOD.rekorURL),
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
