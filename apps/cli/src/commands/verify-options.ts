import type { OptionSpecs } from '../command.js';

/** The flags verify-blob shares with cosign, plus Sigil's extension checks and JSON output. */
export const VERIFY_OPTIONS: OptionSpecs = {
  bundle: { type: 'string' },
  'certificate-identity': { type: 'string' },
  'certificate-identity-regexp': { type: 'string' },
  'certificate-oidc-issuer': { type: 'string' },
  'certificate-oidc-issuer-regexp': { type: 'string' },
  'certificate-extension': { type: 'string', multiple: true },
  'unsafe-unanchored-regexp': { type: 'boolean' },
  // GitLab presets: the exact SAN and issuer plus the Fulcio extensions a GitLab job's certificate carries.
  'gitlab-project': { type: 'string' },
  'gitlab-ref': { type: 'string' },
  'gitlab-branch': { type: 'string' },
  'gitlab-tag': { type: 'string' },
  'gitlab-config-path': { type: 'string' },
  'gitlab-url': { type: 'string' },
  key: { type: 'string' },
  'trusted-root': { type: 'string' },
  staging: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  // Accepted for cosign compatibility; Sigil always verifies offline and detects the bundle format.
  offline: { type: 'boolean' },
  'new-bundle-format': { type: 'boolean' },
};

/** For images: the same, without --bundle (the signatures live in the registry) or --key (keyless image signatures only). */
export const IMAGE_VERIFY_OPTIONS: OptionSpecs = Object.fromEntries(Object.entries(VERIFY_OPTIONS).filter(([name]) => name !== 'bundle' && name !== 'key'));
