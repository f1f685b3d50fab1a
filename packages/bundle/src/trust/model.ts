import type { HashAlgorithm } from '@sigil/crypto';

/** Inclusive validity; no `start` means never valid (the verifier's rule), no `end` means still valid. */
export interface TimeRange {
  start?: Date;
  end?: Date;
}

export interface TrustedRoot {
  mediaType: string;
  tlogs: TransparencyLogInstance[];
  certificateAuthorities: CertificateAuthority[];
  ctlogs: TransparencyLogInstance[];
  timestampAuthorities: CertificateAuthority[];
}

/** A Rekor log or a CT log. */
export interface TransparencyLogInstance {
  baseUrl: string;
  hashAlgorithm: HashAlgorithm;
  publicKey: TrustedPublicKey;
  logId: Uint8Array;
  /** v0.2 roots: the signed-note key ID of the log's checkpoints. */
  checkpointKeyId?: Uint8Array;
  operator?: string;
}

export interface TrustedPublicKey {
  /** DER SubjectPublicKeyInfo. */
  rawBytes?: Uint8Array;
  /** The protobuf PublicKeyDetails name, e.g. PKIX_ECDSA_P256_SHA_256, as written. */
  keyDetails: string;
  validFor: TimeRange;
}

/** A Fulcio CA or a timestamp authority. */
export interface CertificateAuthority {
  subject: { organization?: string; commonName?: string };
  uri: string;
  /** DER certificates in the order given: intermediates first, the anchor last (a TSA's leaf first). */
  certChain: Uint8Array[];
  validFor: TimeRange;
  operator?: string;
}

export interface SigningConfig {
  mediaType: string;
  caUrls: Service[];
  oidcUrls: Service[];
  rekorTlogUrls: Service[];
  tsaUrls: Service[];
  rekorTlogConfig?: ServiceConfiguration;
  tsaConfig?: ServiceConfiguration;
}

export interface Service {
  url: string;
  majorApiVersion: number;
  validFor: TimeRange;
  /** '' when not given. */
  operator: string;
}

export type ServiceSelector = 'ALL' | 'ANY' | 'EXACT';

export interface ServiceConfiguration {
  selector: ServiceSelector;
  /** For EXACT: how many services to use (0 when not given). */
  count: number;
}

export interface ClientTrustConfig {
  mediaType: string;
  trustedRoot: TrustedRoot;
  signingConfig: SigningConfig;
}
