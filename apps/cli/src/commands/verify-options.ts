import { CERT_VERIFY_FLAGS } from '../flag-sets/verification.js';
import { BLOB_OUTPUT_FLAGS, SIGIL_POLICY_FLAGS, STAGING_FLAGS } from '../flag-sets/sigil-extras.js';
import { flagsOf, type FlagSpec } from '../flags/spec.js';
import { plainFlags } from '../flags/plain.js';

/** Identity policy and trust flags for sigil's own verify commands (verify-npm): cosign's meaning, no refused ones, no opt-outs. */
export const POLICY_AND_TRUST_FLAGS: FlagSpec[] = flagsOf(
  CERT_VERIFY_FLAGS.filter((f) => !f.refused && f.name !== 'insecure-ignore-sct'),
  SIGIL_POLICY_FLAGS,
  STAGING_FLAGS,
  BLOB_OUTPUT_FLAGS,
  plainFlags({ 'trusted-root': { type: 'string', description: 'trusted root file (also SIGIL_TRUSTED_ROOT)' } }),
);
