import { flag, type OptionSet } from '../flags/spec.js';
import { OUTPUT_CERTIFICATE, OUTPUT_SIGNATURE } from './signing.js';
import { DEPRECATED_DETACHED_OUTPUT, LEGACY_ATTACHMENTS, only } from './refusals.js';

/** sign's own flags (SignOptions), beyond the shared signing and registry sets. */
export const IMAGE_SIGN_FLAGS: OptionSet = [
  flag({ name: 'upload', type: 'bool', default: 'true', description: 'push the signature to the registry (false: sign only, keep it with --bundle)' }),
  flag({ name: 'bundle', type: 'string', default: '', description: 'also write the Sigstore bundle to FILE' }),
  OUTPUT_SIGNATURE,
  OUTPUT_CERTIFICATE,
  flag({ name: 'output-payload', type: 'string', default: '', description: 'also write the signed payload to FILE', deprecated: 'please use --bundle to provide the output bundle location, which will include the payload', refused: DEPRECATED_DETACHED_OUTPUT }),
  flag({
    name: 'payload',
    type: 'string',
    default: '',
    description: 'sign this payload instead of the one made for the image',
    deprecated: 'payload will always be generated automatically in future versions',
    refused: { why: 'sigil signs only the payload it builds for the image, so that verification can check it names the image', instead: 'put extra claims in -a KEY=VALUE annotations' },
  }),
  flag({ name: 'recursive', short: 'r', type: 'bool', default: 'false', description: 'for an index (multi-arch image), sign every image it lists as well' }),
  flag({ name: 'attachment', type: 'string', default: '', description: 'sign an attachment of the image', deprecated: 'please use OCI referrers for attachments; see `cosign attach sbom --registry-referrers-mode=oci-1-1 --help`', refused: LEGACY_ATTACHMENTS }),
  flag({
    name: 'sign-container-identity',
    type: 'stringSlice',
    default: '[]',
    description: 'the docker-reference to sign instead of the image\'s',
    deprecated: 'not possible when OCI referrers become the default behavior',
    refused: { why: 'sigil signs the reference it was given (cosign deprecated this flag)', instead: 'sign the image under the reference it is pulled by' },
  }),
  flag({
    name: 'record-creation-timestamp',
    type: 'bool',
    default: 'false',
    description: 'record a creation time in legacy signature manifests',
    deprecated: 'not used with the new bundle format',
    refused: { why: 'sigil writes legacy .sig manifests without a creation time', instead: 'leave it unset; the bundle\'s log entry records when it was signed', accepts: only(false) },
  }),
];
