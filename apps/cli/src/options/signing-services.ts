import { parseSigningConfig, type SigningConfig } from '@sigil/bundle';
import { selectSigningServices, type TransparencyLogService } from '@sigil/sign';
import { readTextFileLimited } from '../files.js';

export interface SigningServices {
  fulcioURL: string;
  /** The logs to write to, v1 or v2, as the signing config selects (or --rekor-url, a v1 log). */
  transparencyLogs: TransparencyLogService[];
  tsaURLs: string[];
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
 * variables), which wins over the public-good defaults. The config's services are selected by
 * its rules (@sigil/sign selectSigningServices: API versions, validity, operators, selectors);
 * a config that selects nothing usable is refused by name rather than replaced by public good.
 */
export function signingServicesFromFlags(flags: SigningServiceFlags, env: NodeJS.ProcessEnv = process.env): SigningServices {
  const configFile = flags['signing-config'] ?? (env.SIGIL_SIGNING_CONFIG || undefined);
  const config = configFile ? parseSigningConfig(readTextFileLimited(configFile, 'signing config', 1024 * 1024)) : undefined;
  return servicesFrom(flags, config, configFile);
}

/** Whether the flags or CI variables name the services: then signing does not need TUF's signing config. */
export function servicesGiven(flags: SigningServiceFlags, env: NodeJS.ProcessEnv = process.env): boolean {
  return [flags['signing-config'], env.SIGIL_SIGNING_CONFIG || undefined, flags['fulcio-url'], flags['rekor-url'], flags['timestamp-server-url']].some((v) => v !== undefined);
}

/** The services a signing config (from a file or from TUF) selects, flags still winning. */
export function servicesFrom(flags: SigningServiceFlags, config: SigningConfig | undefined, label: string | undefined): SigningServices {
  const selected = config ? selectSigningServices(config, label ?? 'signing config') : undefined;
  const rekorUrl = flags['rekor-url'];
  const tsaUrl = flags['timestamp-server-url'];
  return {
    fulcioURL: flags['fulcio-url'] ?? selected?.fulcioURL ?? PUBLIC_GOOD.fulcioURL,
    // --rekor-url is cosign's: a Rekor v1 log.
    transparencyLogs: rekorUrl !== undefined ? [{ url: rekorUrl, majorApiVersion: 1 }] : (selected?.transparencyLogs ?? [{ url: PUBLIC_GOOD.rekorURL, majorApiVersion: 1 }]),
    tsaURLs: tsaUrl !== undefined ? [tsaUrl] : (selected?.tsaURLs ?? []),
    knownIssuers: selected?.knownIssuers,
  };
}
