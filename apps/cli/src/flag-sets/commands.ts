import { flag, flagsOf, variant, type FlagSpec } from '../flags/spec.js';
import { VERIFY_COMMON } from './blob-verification.js';
import { BLOB_ATTEST_FLAGS, CHECK_CLAIMS_IMAGE, IMAGE_ATTEST_FLAGS, PREDICATE_LOCAL_FLAGS, PREDICATE_TYPE_FLAGS } from './attestation.js';
import { IMAGE_SIGN_FLAGS } from './image-signing.js';
import { DETACHED_IMAGE, LEGACY_ATTACHMENTS, only } from './refusals.js';
import { ANNOTATION_FLAGS, REFERRERS_MODE_FLAGS, REGISTRY_FLAGS } from './registry.js';
import { LEGACY_FORMAT_FLAGS, STAGING_FLAGS } from './sigil-extras.js';
import { FULCIO_FLAGS, KEY_SIGNING_FLAGS, OIDC_FLAGS, REKOR_SIGN_FLAGS, SECURITY_KEY_FLAGS, SIGN_BLOB_OUTPUT_FLAGS, SIGNING_SERVICE_FLAGS } from './signing.js';
import { IMAGE_VERIFY_EXTRA_FLAGS } from './verification.js';

// Each command's flags (the blob verifications' are in blob-verification.ts), composed from the shared sets as cosign composes its option structs
// (cmd/cosign/cli/options/{sign,signblob,attest,attest_blob,verify}.go), plus sigil's own.

// Keyless or with --key (a refused --tlog-upload=false without a key is the commands' check).
const SIGNING = [SECURITY_KEY_FLAGS, FULCIO_FLAGS, REKOR_SIGN_FLAGS, OIDC_FLAGS, KEY_SIGNING_FLAGS, SIGNING_SERVICE_FLAGS, STAGING_FLAGS];

/** Blob signing writes bundles only: cosign's legacy bundle format is refused. */
const BLOB_BUNDLE_FORMAT = variant(SIGNING_SERVICE_FLAGS.find((f) => f.name === 'new-bundle-format')!, {
  refused: { why: 'sigil writes Sigstore bundles (v0.3) only, not cosign 2\'s bundle format', instead: 'keep the default; cosign 2.4+ and every Sigstore client read Sigstore bundles', accepts: only(true) },
});

export const SIGN_BLOB_FLAGS: FlagSpec[] = flagsOf(...SIGNING, SIGN_BLOB_OUTPUT_FLAGS, [BLOB_BUNDLE_FORMAT]);

export const ATTEST_BLOB_FLAGS: FlagSpec[] = flagsOf(PREDICATE_LOCAL_FLAGS, ...SIGNING, BLOB_ATTEST_FLAGS, [BLOB_BUNDLE_FORMAT]);

export const SIGN_FLAGS: FlagSpec[] = flagsOf(
  ...SIGNING,
  ANNOTATION_FLAGS,
  REGISTRY_FLAGS,
  REFERRERS_MODE_FLAGS,
  IMAGE_SIGN_FLAGS,
  [variant(SIGNING_SERVICE_FLAGS.find((f) => f.name === 'new-bundle-format')!, { description: 'store a Sigstore bundle as an OCI referrer (false: cosign 2\'s .sig tag, as --legacy-format)' })],
  LEGACY_FORMAT_FLAGS,
);

export const ATTEST_FLAGS: FlagSpec[] = flagsOf(PREDICATE_LOCAL_FLAGS, ...SIGNING, REGISTRY_FLAGS, IMAGE_ATTEST_FLAGS, [BLOB_BUNDLE_FORMAT]);

export const VERIFY_FLAGS: FlagSpec[] = flagsOf(...VERIFY_COMMON, REGISTRY_FLAGS, ANNOTATION_FLAGS, IMAGE_VERIFY_EXTRA_FLAGS, [
  CHECK_CLAIMS_IMAGE,
  flag({ name: 'attachment', type: 'string', default: '', description: 'verify an attachment of the image', deprecated: 'please use OCI referrers for attachments and verify with `--experimental-oci11`', refused: LEGACY_ATTACHMENTS }),
  flag({ name: 'signature', type: 'string', default: '', description: 'a detached signature of the image', deprecated: 'signatures are automatically fetched from the OCI registry during image verification', refused: DETACHED_IMAGE }),
  flag({ name: 'payload', type: 'string', default: '', description: 'a detached payload of the image', deprecated: 'payload will always be verified from the bundle in future versions', refused: DETACHED_IMAGE }),
]);

export const VERIFY_ATTESTATION_FLAGS: FlagSpec[] = flagsOf(PREDICATE_TYPE_FLAGS, ...VERIFY_COMMON, REGISTRY_FLAGS, IMAGE_VERIFY_EXTRA_FLAGS, [
  CHECK_CLAIMS_IMAGE,
  flag({
    name: 'policy',
    type: 'stringSlice',
    default: '[]',
    description: 'CUE or Rego policies the attestations must pass',
    refused: {
      why: 'CUE and Rego policies need their evaluators, and no maintained JavaScript evaluator of either exists',
      instead: 'print the verified attestations (-o json) and evaluate them with cue vet or opa eval; pin identity and extensions with --certificate-* flags',
    },
  }),
]);
