import { SIGNING_CONFIG_MEDIA_TYPE_V0_2, type SigningConfig } from '@sigil/bundle';

export interface StackUrls {
  oidcIssuer: string;
  fulcioURL: string;
  rekorURL: string;
  tsaURL: string;
}

/** signing_config.json v0.2 naming the local services (Rekor v1 API, one of each). */
export function buildSigningConfig(urls: StackUrls, validFrom: Date): SigningConfig {
  const service = (url: string, majorApiVersion: number) => ({ url, majorApiVersion, validFor: { start: validFrom }, operator: 'sigil.local' });
  return {
    mediaType: SIGNING_CONFIG_MEDIA_TYPE_V0_2,
    caUrls: [service(urls.fulcioURL, 1)],
    oidcUrls: [service(urls.oidcIssuer, 1)],
    rekorTlogUrls: [service(urls.rekorURL, 1)],
    tsaUrls: [service(urls.tsaURL, 1)],
    rekorTlogConfig: { selector: 'ANY', count: 0 },
    tsaConfig: { selector: 'ANY', count: 0 },
  };
}
