import { flag, type OptionSet } from '../flags/spec.js';
import { HARDWARE_KEY, KMS_KEYS, only } from './refusals.js';

// cosign's key commands: generate-key-pair, import-key-pair, public-key (options/*_key*.go).

export const GENERATE_KEY_PAIR_FLAGS: OptionSet = [
  flag({ name: 'kms', type: 'string', default: '', description: 'create key pair in KMS service to use for signing', refused: KMS_KEYS }),
  flag({ name: 'output-key-prefix', type: 'string', default: 'cosign', description: 'name used for generated .pub and .key files' }),
  // Beyond cosign, which stores all three variables unprotected and unmasked.
  flag({ name: 'gitlab-protect', type: 'bool', sigilOnly: true, default: 'true', description: 'gitlab://: only jobs on protected branches and tags see COSIGN_PRIVATE_KEY and COSIGN_PASSWORD' }),
  flag({ name: 'gitlab-mask-password', type: 'bool', sigilOnly: true, default: 'true', description: 'gitlab://: mask COSIGN_PASSWORD in job logs (it must then meet GitLab\'s masking rules)' }),
];

export const IMPORT_KEY_PAIR_FLAGS: OptionSet = [
  flag({ name: 'key', short: 'k', type: 'string', default: '', description: 'import key pair to use for signing' }),
  flag({ name: 'output-key-prefix', short: 'o', type: 'string', default: 'import-cosign', description: 'name used for outputted key pairs' }),
  flag({ name: 'yes', short: 'y', type: 'bool', default: 'false', description: 'skip confirmation prompts for overwriting existing key' }),
];

export const PUBLIC_KEY_FLAGS: OptionSet = [
  flag({ name: 'key', type: 'string', default: '', description: 'path to the private key file, env://VAR or gitlab://GROUP/PROJECT' }),
  flag({ name: 'outfile', type: 'string', default: '', description: 'write the public key to this file rather than stdout' }),
  flag({ name: 'sk', type: 'bool', default: 'false', description: 'whether to use a hardware security key', refused: { ...HARDWARE_KEY, accepts: only(false) } }),
  flag({ name: 'slot', type: 'string', default: '', description: 'security key slot to use for generated key', refused: HARDWARE_KEY }),
];
