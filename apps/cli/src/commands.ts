import type { Command } from './command.js';
import { attestBlobCommand } from './commands/attest-blob.js';
import { attestImageCommand } from './commands/attest-image.js';
import { completionCommand } from './commands/completion.js';
import { generateKeyPairCommand } from './commands/generate-key-pair.js';
import { gitlabCommand } from './commands/gitlab.js';
import { importKeyPairCommand } from './commands/import-key-pair.js';
import { publicKeyCommand } from './commands/public-key.js';
import { initializeCommand } from './commands/initialize.js';
import { inspect } from './commands/inspect.js';
import { provenanceCommand } from './commands/provenance.js';
import { rekorGet } from './commands/rekor-get.js';
import { signBlobCommand } from './commands/sign-blob.js';
import { signBundle } from './commands/sign-bundle.js';
import { signImageCommand } from './commands/sign-image.js';
import { verifyAttestationCommand } from './commands/verify-attestation.js';
import { verifyBlob } from './commands/verify-blob.js';
import { verifyBlobAttestation } from './commands/verify-blob-attestation.js';
import { verifyBundle } from './commands/verify-bundle.js';
import { verifyImageCommand } from './commands/verify-image.js';
import { verifyNpmCommand } from './commands/verify-npm.js';
import { versionCommand } from './commands/version.js';

export const COMMANDS: Command[] = [
  signBlobCommand,
  verifyBlob,
  signImageCommand,
  verifyImageCommand,
  attestBlobCommand,
  verifyBlobAttestation,
  attestImageCommand,
  verifyAttestationCommand,
  provenanceCommand,
  verifyNpmCommand,
  gitlabCommand,
  initializeCommand,
  generateKeyPairCommand,
  importKeyPairCommand,
  publicKeyCommand,
  inspect,
  rekorGet,
  verifyBundle,
  signBundle,
  completionCommand,
  versionCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
