import type { BundleVersion } from './model.js';

export const BUNDLE_MEDIA_TYPE_V0_1 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
export const BUNDLE_MEDIA_TYPE_V0_2 = 'application/vnd.dev.sigstore.bundle+json;version=0.2';
export const BUNDLE_MEDIA_TYPE_V0_3 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** The other spelling of v0.3 some clients wrote before the media type was settled. */
export const BUNDLE_MEDIA_TYPE_V0_3_ALT = 'application/vnd.dev.sigstore.bundle+json;version=0.3';

export const BUNDLE_VERSION_BY_MEDIA_TYPE: Readonly<Record<string, Exclude<BundleVersion, 'cosign-legacy'>>> = {
  [BUNDLE_MEDIA_TYPE_V0_1]: '0.1',
  [BUNDLE_MEDIA_TYPE_V0_2]: '0.2',
  [BUNDLE_MEDIA_TYPE_V0_3]: '0.3',
  [BUNDLE_MEDIA_TYPE_V0_3_ALT]: '0.3',
};

export const TRUSTED_ROOT_MEDIA_TYPE_V0_1 = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';
export const TRUSTED_ROOT_MEDIA_TYPE_V0_2 = 'application/vnd.dev.sigstore.trustedroot.v0.2+json';
export const SIGNING_CONFIG_MEDIA_TYPE_V0_2 = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';
export const CLIENT_TRUST_CONFIG_MEDIA_TYPE_V0_1 = 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json';
