import { SigilError } from '@sigil/errors';

export type RegistryTestErrorCode =
  | 'REGISTRY_INPUT_INVALID' // an option has the wrong type or an impossible value
  | 'REGISTRY_BINARY_MISSING' // /usr/bin/docker-registry or htpasswd is not installed
  | 'REGISTRY_START_FAILED' // a registry could not listen, exited early or never answered GET /v2/
  | 'REGISTRY_PUSH_FAILED'; // pushTestImage got an answer other than the one the protocol promises

export class RegistryTestError extends SigilError<RegistryTestErrorCode> {}
