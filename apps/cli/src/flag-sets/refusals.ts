import type { FlagValue, Refusal } from '../flags/spec.js';

// Reasons shared by several flags: one sentence each, so every refusal reads the same.

export const DETACHED_ATTESTATION: Refusal = {
  why: 'detached attestations (a DSSE envelope file) are not read: sigil verifies attestation bundles; detached signatures are taken by verify-blob (--signature with --certificate or --key)',
  instead: 'verify the attestation bundle: --bundle FILE (cosign attest-blob --bundle writes one)',
};

export const DETACHED_IMAGE: Refusal = {
  why: 'detached signatures, payloads and certificates of images are not read: sigil verifies the signatures stored with the image in the registry',
  instead: 'store the signature with sigil sign (or cosign sign), then run sigil verify IMAGE; for a detached blob signature use verify-blob --signature',
};

export const HARDWARE_KEY: Refusal = {
  why: 'hardware security keys (PIV, PKCS#11) are not supported; sigil signs with ephemeral keys certified by Fulcio',
  instead: 'sign keylessly with an OIDC identity token',
};

export const DEPRECATED_DETACHED_OUTPUT: Refusal = {
  why: 'cosign deprecated the detached outputs; sigil writes the Sigstore bundle, which holds the signature, certificate and log entry',
  instead: 'write the bundle with --bundle FILE',
};

export const TRUST_IN_ROOT: Refusal = {
  why: 'cosign deprecated separate trust files; sigil takes trust material from a trusted root only',
  instead: 'put the certificates and keys in a trusted root file and pass --trusted-root FILE (cosign trusted-root create builds one)',
};

export const TSA_MTLS: Refusal = {
  why: 'client certificates (mTLS) for the timestamp authority are not supported',
  instead: 'use a TSA reachable over plain HTTPS, named in --signing-config or --timestamp-server-url',
};

export const LEGACY_ATTACHMENTS: Refusal = {
  why: 'cosign deprecated attachments tagged beside the image; sigil stores and reads OCI referrers',
  instead: 'attach SBOMs as attestations: sigil attest --type spdxjson|cyclonedx --predicate FILE IMAGE',
};

/** Accepts only the given values (cosign's default, usually), refusing the others. */
export const only =
  (...accepted: FlagValue[]) =>
  (value: FlagValue): boolean =>
    accepted.includes(value);

export const KMS_KEYS: Refusal = {
  why: 'keys held in a KMS (AWS, Google Cloud, Azure, HashiCorp Vault) are not supported: sigil has no client for those services',
  instead: 'use a cosign key file (sigil generate-key-pair), gitlab://GROUP/PROJECT, or sign keylessly',
};
