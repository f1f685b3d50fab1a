import { TRUSTED_ROOT_MEDIA_TYPE_V0_1, type TransparencyLogInstance, type TrustedRoot } from '@sigil/bundle';
import type { CertificateAuthority } from './certificate-authority.js';

/** A log the trusted root lists: Rekor or a CT log, ECDSA P-256 unless `keyDetails` says otherwise (Rekor v2: PKIX_ED25519). */
export interface LogKey {
  baseUrl: string;
  spki: Uint8Array;
  logId: Uint8Array;
  keyDetails?: string;
}

/** A timestamp authority: its URL and chain (signing leaf first, root last). */
export interface TimestampAuthorityPart {
  uri: string;
  certChain: readonly Uint8Array[];
}

export interface TrustedRootParts {
  ca: CertificateAuthority;
  caUrl: string;
  tlogs: LogKey[];
  ctlogs: LogKey[];
  timestampAuthorities?: TimestampAuthorityPart[];
  /** Start of every validFor; it must precede every signing time. */
  validFrom: Date;
}

/** trusted_root.json v0.1 for the local instance. */
export function buildTrustedRoot({ ca, caUrl, tlogs, ctlogs, timestampAuthorities = [], validFrom }: TrustedRootParts): TrustedRoot {
  const log = ({ baseUrl, spki, logId, keyDetails = 'PKIX_ECDSA_P256_SHA_256' }: LogKey): TransparencyLogInstance => ({
    baseUrl,
    hashAlgorithm: 'sha256',
    publicKey: { rawBytes: spki, keyDetails, validFor: { start: validFrom } },
    logId,
  });
  return {
    mediaType: TRUSTED_ROOT_MEDIA_TYPE_V0_1,
    tlogs: tlogs.map(log),
    certificateAuthorities: [{ subject: { ...ca.subject }, uri: caUrl, certChain: [...ca.chain], validFor: { start: validFrom } }],
    ctlogs: ctlogs.map(log),
    timestampAuthorities: timestampAuthorities.map((tsa) => ({
      subject: {},
      uri: tsa.uri,
      certChain: [...tsa.certChain],
      validFor: { start: validFrom },
    })),
  };
}
