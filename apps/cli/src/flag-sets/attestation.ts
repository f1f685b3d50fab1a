import { flag, variant, type OptionSet } from '../flags/spec.js';
import { DEPRECATED_DETACHED_OUTPUT, only } from './refusals.js';

export const PREDICATE_TYPE_NAMES = ['slsaprovenance', 'slsaprovenance02', 'slsaprovenance1', 'link', 'spdx', 'spdxjson', 'cyclonedx', 'vuln', 'openvex', 'custom'] as const;

/** PredicateOptions. */
export const PREDICATE_TYPE_FLAGS: OptionSet = [
  flag({ name: 'type', type: 'string', default: 'custom', choices: PREDICATE_TYPE_NAMES, description: `predicate type: ${PREDICATE_TYPE_NAMES.join('|')} or a URI` }),
];

/** PredicateLocalOptions: the predicate to sign. */
export const PREDICATE_LOCAL_FLAGS: OptionSet = [
  ...PREDICATE_TYPE_FLAGS,
  flag({ name: 'predicate', type: 'string', default: '', description: 'the predicate file (- for stdin)' }),
  flag({ name: 'statement', type: 'string', default: '', description: 'a whole in-toto statement file to sign instead of --predicate (- for stdin)' }),
];

const REKOR_ENTRY_TYPE = flag({
  name: 'rekor-entry-type',
  type: 'string',
  default: 'dsse',
  choices: ['dsse'],
  description: 'log entry type for the attestation',
  deprecated: 'support for this flag will be removed in the future. it is strongly discouraged to rely on Rekor for attestation storage, and in future releases of Rekor, this functionality will be removed.',
  refused: { why: 'sigil logs attestations as dsse entries only (intoto entries store the whole attestation in the log)', instead: 'keep the default dsse', accepts: only('dsse') },
});

/** attest's own flags (AttestOptions). */
export const IMAGE_ATTEST_FLAGS: OptionSet = [
  flag({ name: 'no-upload', type: 'bool', default: 'false', description: 'do not push the attestation (keep it with --bundle)' }),
  flag({ name: 'replace', type: 'bool', default: 'false', description: 'replace earlier attestations of the same type (legacy storage only; no effect in sigil)', deprecated: 'not needed when OCI referrers become the default behavior' }),
  flag({ name: 'bundle', type: 'string', default: '', description: 'also write the attestation bundle to FILE' }),
  flag({ name: 'record-creation-timestamp', type: 'bool', default: 'false', description: 'record a creation time (legacy storage only; no effect on bundles)', deprecated: 'not used with the new bundle format' }),
  REKOR_ENTRY_TYPE,
];

/** attest-blob's own flags (AttestBlobOptions). */
export const BLOB_ATTEST_FLAGS: OptionSet = [
  flag({ name: 'bundle', type: 'string', default: '', description: 'write the attestation bundle to FILE' }),
  flag({ name: 'hash', type: 'string', default: '', description: 'the artifact\'s SHA-256 (hex), instead of reading it' }),
  flag({ name: 'output-signature', type: 'string', default: '', description: 'write the DSSE envelope to FILE', deprecated: 'please use --bundle to provide the output bundle location, which will include the signature', refused: DEPRECATED_DETACHED_OUTPUT }),
  flag({ name: 'output-attestation', type: 'string', default: '', description: 'write the attestation to FILE', deprecated: 'please use --bundle to provide the output bundle location, which will include the attestation', refused: DEPRECATED_DETACHED_OUTPUT }),
  flag({ name: 'output-certificate', type: 'string', default: '', description: 'write the certificate to FILE', deprecated: 'please use --bundle to provide the output bundle location, which will include the certificate', refused: DEPRECATED_DETACHED_OUTPUT }),
  flag({ name: 'rfc3161-timestamp-bundle', type: 'string', default: '', description: 'write the RFC 3161 timestamp to FILE', deprecated: 'please use --bundle to provide the output bundle location, which will include the signed timestamp', refused: DEPRECATED_DETACHED_OUTPUT }),
  REKOR_ENTRY_TYPE,
];

export const CHECK_CLAIMS_BLOB = flag({ name: 'check-claims', type: 'bool', default: 'true', description: 'check the statement\'s subject against the artifact (false: verify the signature only; the artifact may be left out)' });
export const CHECK_CLAIMS_IMAGE = variant(CHECK_CLAIMS_BLOB, {
  description: 'check that what was signed names this image digest',
  refused: { why: 'sigil always checks that the signed claims name the image digest: without it a signature of any other image would pass', instead: 'keep the default (--check-claims=true)', accepts: only(true) },
});
