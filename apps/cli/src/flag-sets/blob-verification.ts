import { flag, flagsOf, variant, type FlagSpec } from '../flags/spec.js';
import { CHECK_CLAIMS_BLOB, PREDICATE_TYPE_FLAGS } from './attestation.js';
import { BLOB_OUTPUT_FLAGS, SIGIL_POLICY_FLAGS, STAGING_FLAGS } from './sigil-extras.js';
import {
  CERT_VERIFY_FLAGS,
  COMMON_VERIFY_FLAGS,
  DETACHED_BLOB_FLAGS,
  DETACHED_VERIFY_BLOB_FLAGS,
  KEY_VERIFY_FLAGS,
  REKOR_VERIFY_FLAGS,
  SECURITY_KEY_VERIFY_FLAGS,
  SIGNATURE_DIGEST_FLAGS,
} from './verification.js';

// The flags of the offline blob verifications, apart from the other commands' (commands.ts):
// the verification bundle of the one-file CLI imports only these, so that a cold verify-blob
// does not build the signing and image commands' tables.

/** cosign's private CA on blob verification: the trusted root's CAs replaced, loudly (a WARNING; `trust.certificateAuthorities` in --output json). */
const BLOB_CA_FLAGS = CERT_VERIFY_FLAGS.filter((f) => f.name === 'ca-roots' || f.name === 'ca-intermediates').map((f) =>
  variant(f, { refused: undefined, description: `${f.description}: replaces the trusted root's CAs, its logs and CT logs stay (prints a WARNING)` }),
);

/** What every verification command takes (cosign's verify option structs). */
export const VERIFY_COMMON = [SECURITY_KEY_VERIFY_FLAGS, REKOR_VERIFY_FLAGS, CERT_VERIFY_FLAGS, COMMON_VERIFY_FLAGS, SIGNATURE_DIGEST_FLAGS, KEY_VERIFY_FLAGS, SIGIL_POLICY_FLAGS, STAGING_FLAGS];

export const VERIFY_BLOB_FLAGS: FlagSpec[] = flagsOf(...VERIFY_COMMON, DETACHED_BLOB_FLAGS, BLOB_OUTPUT_FLAGS, DETACHED_VERIFY_BLOB_FLAGS, BLOB_CA_FLAGS);

export const VERIFY_BLOB_ATTESTATION_FLAGS: FlagSpec[] = flagsOf(PREDICATE_TYPE_FLAGS, ...VERIFY_COMMON, DETACHED_BLOB_FLAGS, BLOB_OUTPUT_FLAGS, BLOB_CA_FLAGS, [
  CHECK_CLAIMS_BLOB,
  flag({ name: 'digest', type: 'string', default: '', description: 'the artifact\'s digest (hex), instead of the artifact' }),
  flag({ name: 'digestAlg', type: 'string', default: '', choices: ['sha256', 'sha384', 'sha512'], description: 'the algorithm of --digest: sha256, sha384 or sha512' }),
]);
