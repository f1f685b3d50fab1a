import { flag, type OptionSet } from '../flags/spec.js';

// Sigil's own flags, beyond cosign's: bound to SIGIL_<FLAG>, never to COSIGN_<FLAG>.

/** Policy additions: Fulcio extensions by name, the GitLab presets, the unanchored-regexp opt-in. */
export const SIGIL_POLICY_FLAGS: OptionSet = [
  flag({ name: 'certificate-extension', type: 'stringArray', sigilOnly: true, description: 'NAME=VALUE: a Fulcio extension the certificate must carry (e.g. "Source Repository Ref=refs/heads/main"); repeatable' }),
  flag({ name: 'unsafe-unanchored-regexp', type: 'bool', sigilOnly: true, default: 'false', description: 'accept unanchored --certificate-*-regexp patterns (matching anywhere in the value)' }),
  flag({ name: 'gitlab-project', type: 'string', sigilOnly: true, description: 'GROUP/PROJECT: expect a GitLab CI job of this project (sets the identity, issuer and extensions)' }),
  flag({ name: 'gitlab-ref', type: 'string', sigilOnly: true, description: 'with --gitlab-project: the full git ref (refs/heads/main, refs/tags/v1)' }),
  flag({ name: 'gitlab-branch', type: 'string', sigilOnly: true, description: 'with --gitlab-project: the branch' }),
  flag({ name: 'gitlab-tag', type: 'string', sigilOnly: true, description: 'with --gitlab-project: the tag' }),
  flag({ name: 'gitlab-config-path', type: 'string', sigilOnly: true, description: 'with --gitlab-project: the pipeline file (default .gitlab-ci.yml)' }),
  flag({ name: 'gitlab-url', type: 'string', sigilOnly: true, description: 'with --gitlab-project: the GitLab instance (default https://gitlab.com)' }),
];

export const STAGING_FLAGS: OptionSet = [flag({ name: 'staging', type: 'bool', sigilOnly: true, default: 'false', description: 'use the public-good staging instance\'s embedded trusted root (and its services when signing)' })];

export const LEGACY_FORMAT_FLAGS: OptionSet = [flag({ name: 'legacy-format', type: 'bool', sigilOnly: true, default: 'false', description: 'store the signature as cosign 2 did (a .sig tag), for verifiers older than cosign 3' })];

export const BLOB_OUTPUT_FLAGS: OptionSet = [flag({ name: 'output', short: 'o', type: 'string', sigilOnly: true, choices: ['json', 'text'], description: 'json: print the verified signer and log entry' })];
