import { flag, type OptionSet } from '../flags/spec.js';
import { DEPRECATED_DETACHED_OUTPUT, HARDWARE_KEY, only, TSA_MTLS } from './refusals.js';

const INTERACTIVE = {
  why: 'interactive OIDC flows (browser, device code, client credentials) are not supported: sigil signs in CI with ambient tokens',
  instead: 'pass --identity-token TOKEN|FILE, or set SIGSTORE_ID_TOKEN (GitLab: id_tokens with aud sigstore), or run in GitHub Actions with id-token: write',
};

/** Fulcio: where certificates come from and the identity token that proves who signs (FulcioOptions). */
export const FULCIO_FLAGS: OptionSet = [
  flag({ name: 'fulcio-url', type: 'string', default: 'https://fulcio.sigstore.dev', description: 'Fulcio to request the signing certificate from', deprecated: 'please use a signing config to specify a fulcio url; see `cosign signing-config --help`' }),
  flag({ name: 'identity-token', type: 'string', default: '', description: 'the OIDC identity token, or a file holding one (@FILE also works)' }),
  flag({ name: 'fulcio-auth-flow', type: 'string', default: '', choices: ['token'], description: 'how to get a token: only "token" (an ambient or given token)', refused: { ...INTERACTIVE, accepts: only('token') } }),
  flag({ name: 'insecure-skip-verify', type: 'bool', default: 'false', description: 'no effect: cosign no longer checks the SCT while signing, sigil always does', deprecated: 'SCT verification is no longer performed during signing/attestation.' }),
];

/** OIDC provider settings (OIDCOptions). */
export const OIDC_FLAGS: OptionSet = [
  flag({ name: 'oidc-issuer', type: 'string', default: 'https://oauth2.sigstore.dev/auth', description: 'issuer for interactive flows; with a token given or ambient it has no effect', deprecated: 'please use a signing config to specify an OIDC issuer; see `cosign signing-config create --help`' }),
  flag({ name: 'oidc-client-id', type: 'string', default: 'sigstore', description: 'client ID for interactive flows; with a token given or ambient it has no effect' }),
  flag({ name: 'oidc-client-secret-file', type: 'string', default: '', description: 'client secret for the client-credentials flow', refused: INTERACTIVE }),
  flag({ name: 'oidc-redirect-url', type: 'string', default: '', description: 'redirect URL of the browser flow', refused: INTERACTIVE }),
  flag({
    name: 'oidc-provider',
    type: 'string',
    default: '',
    choices: ['github-actions', 'envvar', 'filesystem'],
    description: 'the one ambient token provider to ask: github-actions, envvar (SIGSTORE_ID_TOKEN) or filesystem (/var/run/sigstore/cosign/oidc-token)',
    refused: {
      why: 'the spiffe, google and buildkite-agent providers need their agents and services, which sigil does not talk to',
      instead: 'export the token in SIGSTORE_ID_TOKEN (--oidc-provider envvar) or pass --identity-token',
      accepts: only('github-actions', 'envvar', 'filesystem'),
    },
  }),
  flag({ name: 'oidc-disable-ambient-providers', type: 'bool', default: 'false', description: 'read no ambient token (GitHub Actions, SIGSTORE_ID_TOKEN, the token file): only --identity-token' }),
];

/** Rekor: where log entries are written (RekorOptions, for signing). */
export const REKOR_SIGN_FLAGS: OptionSet = [
  flag({ name: 'rekor-url', type: 'string', default: 'https://rekor.sigstore.dev', description: 'Rekor to write the log entry to', deprecated: 'please use a signing config to specify a rekor url; see `cosign signing-config --help`' }),
];

/** Hardware keys (SecurityKeyOptions). */
export const SECURITY_KEY_FLAGS: OptionSet = [
  flag({ name: 'sk', type: 'bool', default: 'false', description: 'sign with a hardware security key', refused: { ...HARDWARE_KEY, accepts: only(false) } }),
  flag({ name: 'slot', type: 'string', default: '', description: 'the security key slot', refused: HARDWARE_KEY }),
];

const KEY_CERTIFICATE: { why: string; instead: string } = {
  why: 'a certificate for --key (a key certified by your own CA) is not embedded: sigil\'s key-signed bundles carry the public key\'s hint, and verification takes the key',
  instead: 'sign with --key alone and verify with --key PUBLIC_KEY, or sign keylessly for a Fulcio certificate',
};

const ISSUE_CERTIFICATE = flag({
  name: 'issue-certificate',
  type: 'bool',
  default: 'false',
  description: 'get a Fulcio certificate even with --key (keyless signing always does)',
  deprecated: 'support for this flag will be removed in the future',
});

/** A signer's key: a cosign key file, env://VAR or gitlab://GROUP/PROJECT (all four signing commands). */
export const KEY_SIGNING_FLAGS: OptionSet = [
  flag({ name: 'key', type: 'string', default: '', description: 'sign with this cosign private key: a file, env://VAR or gitlab://GROUP/PROJECT (password from COSIGN_PASSWORD)' }),
  flag({ name: 'certificate', type: 'string', default: '', description: 'a certificate for --key, included in the signature', refused: KEY_CERTIFICATE }),
  flag({ name: 'certificate-chain', type: 'string', default: '', description: 'the chain of --certificate', refused: KEY_CERTIFICATE }),
  ISSUE_CERTIFICATE,
];

/** What every signing command shares: consent, services, trust, the TSA (cosign's Sign*Options fields). */
export const SIGNING_SERVICE_FLAGS: OptionSet = [
  flag({ name: 'yes', short: 'y', type: 'bool', default: 'false', description: 'skip the confirmation that publishing your identity in the transparency log is fine' }),
  flag({
    name: 'tlog-upload',
    type: 'bool',
    default: 'true',
    description: 'write the signature to the transparency log (false only with --key, and then a TSA timestamp is required)',
    deprecated: 'prefer using a --signing-config file with no transparency log services',
  }),
  flag({ name: 'timestamp-server-url', type: 'string', default: '', description: 'RFC 3161 timestamp authority to ask for a signed timestamp', deprecated: 'please use a signing config to specify a timestamp server url; see `cosign signing-config --help`' }),
  flag({ name: 'timestamp-client-cacert', type: 'string', default: '', description: 'CA for the TSA connection', refused: TSA_MTLS }),
  flag({ name: 'timestamp-client-cert', type: 'string', default: '', description: 'client certificate for the TSA connection', refused: TSA_MTLS }),
  flag({ name: 'timestamp-client-key', type: 'string', default: '', description: 'client key for the TSA connection', refused: TSA_MTLS }),
  flag({ name: 'timestamp-server-name', type: 'string', default: '', description: 'TLS server name of the TSA', refused: TSA_MTLS }),
  flag({ name: 'use-signing-config', type: 'bool', default: 'true', description: 'take service URLs from a signing config (sigil: --signing-config, else the flags and public-good defaults)' }),
  flag({ name: 'signing-config', type: 'string', default: '', description: 'signing config file naming Fulcio, Rekor and the TSA (also SIGIL_SIGNING_CONFIG)' }),
  flag({ name: 'trusted-root', type: 'string', default: '', description: 'trusted root the new signature is verified against (also SIGIL_TRUSTED_ROOT; else SIGSTORE_ROOT_FILE and friends, else public good)' }),
  flag({
    name: 'new-bundle-format',
    type: 'bool',
    default: 'true',
    description: 'write a Sigstore bundle (cosign 3\'s format)',
    deprecated: 'this will be the only supported format in future versions',
  }),
];

/** cosign's deprecated detached outputs, on sign-blob and sign alike. */
export const OUTPUT_SIGNATURE = flag({ name: 'output-signature', type: 'string', default: '', description: 'also write the signature (base64) to FILE', deprecated: 'please use --bundle to provide the output bundle location, which will include the signature' });
export const OUTPUT_CERTIFICATE = flag({ name: 'output-certificate', type: 'string', default: '', description: 'also write the certificate (PEM) to FILE', deprecated: 'please use --bundle to provide the output bundle location, which will include the certificate' });

/** sign-blob's outputs (SignBlobOptions). */
export const SIGN_BLOB_OUTPUT_FLAGS: OptionSet = [
  flag({ name: 'bundle', type: 'string', default: '', description: 'write the Sigstore bundle (signature, certificate, log entry) to FILE' }),
  OUTPUT_SIGNATURE,
  flag({ name: 'output', type: 'string', default: '', description: 'same as --output-signature', deprecated: 'please use --bundle to provide the output bundle location, which will include the signature' }),
  OUTPUT_CERTIFICATE,
  flag({ name: 'b64', type: 'bool', default: 'true', description: 'base64-encode the signature written by --output-signature', deprecated: 'please use --bundle, which already base64 encodes content as appropriate' }),
  flag({ name: 'rfc3161-timestamp', type: 'string', default: '', description: 'write the RFC 3161 timestamp to FILE', deprecated: 'please use --bundle to provide the output bundle location, which will include the signed timestamp', refused: DEPRECATED_DETACHED_OUTPUT }),
  flag({
    name: 'signing-algorithm',
    type: 'string',
    default: 'ecdsa-sha2-256-nistp256',
    choices: ['ecdsa-sha2-256-nistp256'],
    description: 'signing algorithm of the ephemeral key',
    refused: { why: 'sigil\'s ephemeral keys are ECDSA P-256 with SHA-256, what Fulcio and Rekor expect by default', instead: 'keep the default ecdsa-sha2-256-nistp256', accepts: only('ecdsa-sha2-256-nistp256') },
  }),
];
