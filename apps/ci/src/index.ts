// @sigil/ci: Sigil in GitLab CI: the identity a job signs with, a pre-flight that explains
// the layouts that cannot sign, and GitLab policy presets for verification.
export { CiError, type CiErrorCode } from './errors.js';
export type { Environment } from './environment.js';
export { gitlabJobIdentity, type GitlabJobIdentity } from './job-identity.js';
export { verifyCommands, type VerifyCommands, type VerifyCommandOptions } from './verify-commands.js';
export { gitlabPreflight } from './preflight.js';
export type { Problem, ProblemCode } from './problem.js';
export { gitlabPolicyPreset, GITLAB_COM, DEFAULT_CONFIG_PATH, type GitlabPresetOptions } from './policy-preset.js';
export { shellQuote } from './shell-quote.js';
export { gitlabApi, type GitlabApi, type GitlabApiOptions } from './api/gitlab-api.js';
export { findVariableOwner, readVariable, createVariable, type VariableOwner, type NewVariable } from './api/ci-variables.js';
export { storeKeyPair, readSigningKey, readPublicKey, KEY_PAIR_VARIABLES, type StoreKeyPairOptions, type StoredKeyPair } from './api/key-pair-variables.js';
