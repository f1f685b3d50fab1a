import { SIGNING_CONFIG_MEDIA_TYPE_V0_2, type SigningConfig } from '@sigil/bundle';

export interface StackUrls {
  oidcIssuer: string;
  fulcioURL: string;
  rekorURL: string;
  tsaURL: string;
  /** The Rekor v2 log (rekor-tiles API), beside the v1 log. */
  rekorV2URL: string;
}

/**
 * A signing config v0.2 naming the local services, one of each: signing_config.json selects the
 * Rekor v1 log; signing_config_rekor_v2.json the v2 log (majorApiVersion 2), whose entries need
 * the TSA, shaped as public good's (ANY log, ANY TSA: sigstore-js reads no other selector).
 */
export function buildSigningConfig(urls: StackUrls, validFrom: Date, rekorApiVersion: 1 | 2 = 1): SigningConfig {
  const service = (url: string, majorApiVersion: number) => ({ url, majorApiVersion, validFor: { start: validFrom }, operator: 'sigil.local' });
  return {
    mediaType: SIGNING_CONFIG_MEDIA_TYPE_V0_2,
    caUrls: [service(urls.fulcioURL, 1)],
    oidcUrls: [service(urls.oidcIssuer, 1)],
    rekorTlogUrls: [rekorApiVersion === 2 ? service(urls.rekorV2URL, 2) : service(urls.rekorURL, 1)],
    tsaUrls: [service(urls.tsaURL, 1)],
    rekorTlogConfig: { selector: 'ANY', count: 0 },
    tsaConfig: { selector: 'ANY', count: 0 },
  };
}
