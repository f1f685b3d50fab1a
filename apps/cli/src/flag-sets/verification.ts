import { flag, type OptionSet } from '../flags/spec.js';
import { DETACHED_ATTESTATION, DETACHED_IMAGE, HARDWARE_KEY, only, TRUST_IN_ROOT } from './refusals.js';

const RE2 = 'Go RE2 syntax, matched in linear time; must be anchored (^...$) unless SIGIL_UNSAFE_UNANCHORED_REGEXP=true';

/** Who must have signed (CertVerifyOptions). */
export const CERT_VERIFY_FLAGS: OptionSet = [
  flag({ name: 'certificate-identity', type: 'string', default: '', description: 'the identity (SAN) the certificate must carry: a URI, email, DNS name or IP' }),
  flag({ name: 'certificate-identity-regexp', type: 'string', default: '', description: `a pattern the identity must match (${RE2})` }),
  flag({ name: 'certificate-oidc-issuer', type: 'string', default: '', description: 'the OIDC issuer the certificate must name, e.g. https://gitlab.com' }),
  flag({ name: 'certificate-oidc-issuer-regexp', type: 'string', default: '', description: `a pattern the issuer must match (${RE2})` }),
  flag({ name: 'certificate-github-workflow-trigger', type: 'string', default: '', description: 'the GitHub workflow trigger (event_name) the certificate must carry' }),
  flag({ name: 'certificate-github-workflow-sha', type: 'string', default: '', description: 'the commit SHA the GitHub workflow ran at' }),
  flag({ name: 'certificate-github-workflow-name', type: 'string', default: '', description: 'the GitHub workflow name' }),
  flag({ name: 'certificate-github-workflow-repository', type: 'string', default: '', description: 'the GitHub repository (owner/name) of the workflow' }),
  flag({ name: 'certificate-github-workflow-ref', type: 'string', default: '', description: 'the git ref the GitHub workflow ran at' }),
  flag({ name: 'certificate', type: 'string', default: '', description: 'a detached certificate to verify with', deprecated: 'please use --bundle with --trusted-root to provide the public certificate', refused: DETACHED_IMAGE }),
  flag({ name: 'certificate-chain', type: 'string', default: '', description: 'the chain of --certificate', deprecated: 'please use --trusted-root to provide the certificate chain', refused: TRUST_IN_ROOT }),
  flag({ name: 'ca-roots', type: 'string', default: '', description: 'root CAs (PEM) instead of a trusted root', deprecated: 'please use --trusted-root to provide CA certificates', refused: TRUST_IN_ROOT }),
  flag({ name: 'ca-intermediates', type: 'string', default: '', description: 'intermediate CAs (PEM) with --ca-roots', deprecated: 'please use --trusted-root to provide CA certificates', refused: TRUST_IN_ROOT }),
  flag({ name: 'sct', type: 'string', default: '', description: 'a detached SCT', deprecated: 'a Signed Certificate Timestamp is now provided via a Sigstore bundle', refused: { why: 'detached SCTs are not read; sigil checks the SCT embedded in the certificate', instead: 'verify the bundle; its certificate carries the SCT' } }),
  flag({ name: 'insecure-ignore-sct', type: 'bool', default: 'false', description: 'do not require an SCT in the certificate (prints a WARNING naming what was not checked)' }),
];

/** CommonVerifyOptions. */
export const COMMON_VERIFY_FLAGS: OptionSet = [
  flag({ name: 'offline', type: 'bool', default: 'false', description: 'verify without network access (sigil always verifies bundles offline)', deprecated: 'To verify in an airgapped environment, provide a --bundle with the signature and verification material, and a --trusted-root file with the service keys and certificates' }),
  flag({ name: 'timestamp-certificate-chain', type: 'string', default: '', description: 'the TSA\'s chain (PEM) instead of a trusted root', deprecated: 'please use --trusted-root to provide the timestamp authority certificate chain', refused: TRUST_IN_ROOT }),
  flag({ name: 'use-signed-timestamps', type: 'bool', default: 'false', description: 'verify RFC 3161 timestamps (sigil verifies every timestamp in the bundle against the trusted TSAs)' }),
  flag({ name: 'insecure-ignore-tlog', type: 'bool', default: 'false', description: 'do not require a transparency log entry (prints a WARNING naming what was not checked)' }),
  flag({ name: 'private-infrastructure', type: 'bool', default: 'false', description: 'same as --insecure-ignore-tlog (prints a WARNING naming what was not checked)', deprecated: 'please use --insecure-ignore-tlog instead' }),
  flag({ name: 'experimental-oci11', type: 'bool', default: 'false', description: 'read OCI 1.1 referrers (sigil always does)', deprecated: 'OCI referrers will be the default behavior in future versions' }),
  flag({ name: 'max-workers', type: 'int', default: '10', description: 'how many signatures cosign verifies at once (no effect: sigil verifies them in turn)' }),
  flag({ name: 'trusted-root', type: 'string', default: '', description: 'trusted root file (also SIGIL_TRUSTED_ROOT); else SIGSTORE_ROOT_FILE and friends, else the public-good root' }),
  flag({ name: 'new-bundle-format', type: 'bool', default: 'true', description: 'expect Sigstore bundles (sigil detects the format itself)', deprecated: 'this will be the only supported format in future versions' }),
  flag({
    name: 'allow-certificate-chain',
    type: 'bool',
    default: 'false',
    description: 'accept a v0.3 bundle that carries a certificate chain (verify-blob, verify-blob-attestation; the chain is never trusted: the trusted root decides)',
  }),
];

/** The Rekor URL on verify commands: used only to look up entries a bundle lacks. */
export const REKOR_VERIFY_FLAGS: OptionSet = [
  flag({ name: 'rekor-url', type: 'string', default: 'https://rekor.sigstore.dev', description: 'Rekor to look entries up in (sigil verifies the entries bundles carry, offline)', deprecated: 'please use --bundle, which includes the Rekor inclusion proof' }),
];

/** SecurityKeyOptions on verify commands. */
export const SECURITY_KEY_VERIFY_FLAGS: OptionSet = [
  flag({ name: 'sk', type: 'bool', default: 'false', description: 'verify with a hardware security key\'s public key', refused: { ...HARDWARE_KEY, accepts: only(false) } }),
  flag({ name: 'slot', type: 'string', default: '', description: 'the security key slot', refused: HARDWARE_KEY }),
];

/** SignatureDigestOptions. */
export const SIGNATURE_DIGEST_FLAGS: OptionSet = [
  flag({
    name: 'signature-digest-algorithm',
    type: 'string',
    default: 'sha256',
    choices: ['sha256'],
    description: 'digest of detached signatures',
    deprecated: 'please use --bundle, which already includes the digest algorithm',
    refused: { why: 'bundles name their digest algorithm; detached signatures are not yet supported', instead: 'verify the bundle (--bundle)', accepts: only('sha256') },
  }),
];

/** Blob bundles and images signed with a key verify with its public key. */
export const KEY_VERIFY_FLAGS: OptionSet = [
  flag({ name: 'key', type: 'string', default: '', description: 'verify a key-signed bundle with this public key instead of an identity: a PEM file, env://VAR, gitlab://GROUP/PROJECT or an https URL' }),
];

/** verify-blob's and verify-blob-attestation's detached inputs. */
export const DETACHED_BLOB_FLAGS: OptionSet = [
  flag({ name: 'bundle', type: 'string', default: '', description: 'the Sigstore bundle to verify' }),
  flag({ name: 'signature', type: 'string', default: '', description: 'a detached signature (file or base64)', deprecated: 'please use --bundle to provide a signature', refused: DETACHED_ATTESTATION }),
  flag({ name: 'rfc3161-timestamp', type: 'string', default: '', description: 'a detached RFC 3161 timestamp', deprecated: 'please use --bundle to provide the output bundle location, which will include the signed timestamp', refused: DETACHED_ATTESTATION }),
];

/** verify-blob's detached inputs, cosign 2 style: the log entry is looked up in --rekor-url. */
export const DETACHED_VERIFY_BLOB_FLAGS: OptionSet = [
  flag({ name: 'signature', type: 'string', default: '', description: 'a detached signature: a file holding it in base64, or the base64 itself (with --certificate or --key; the log entry is looked up in --rekor-url)', deprecated: 'please use --bundle to provide a signature' }),
  flag({ name: 'certificate', type: 'string', default: '', description: 'the signing certificate (PEM) of --signature', deprecated: 'please use --bundle with --trusted-root to provide the public certificate' }),
  flag({ name: 'rfc3161-timestamp', type: 'string', default: '', description: 'an RFC 3161 timestamp of --signature (cosign\'s JSON file or the DER response), verified against the trusted TSAs', deprecated: 'please use --bundle to provide the output bundle location, which will include the signed timestamp' }),
  flag({ name: 'rekor-url', type: 'string', default: 'https://rekor.sigstore.dev', description: 'Rekor to look up a detached signature\'s entry in (bundles carry theirs and are verified offline)', deprecated: 'please use --bundle, which includes the Rekor inclusion proof' }),
];

/** verify's and verify-attestation's own flags. */
export const IMAGE_VERIFY_EXTRA_FLAGS: OptionSet = [
  flag({ name: 'output', short: 'o', type: 'string', default: 'json', choices: ['json', 'text'], description: 'json prints the verified claims as cosign does; text prints them in cosign\'s text form' }),
  flag({
    name: 'local-image',
    type: 'bool',
    default: 'false',
    description: 'read the image and its signatures from an OCI layout directory (cosign save)',
    refused: { why: 'OCI layout directories are not yet read', instead: 'push the image and its signatures to a registry (a local one on 127.0.0.1 works with --allow-insecure-registry)', accepts: only(false) },
  }),
];
