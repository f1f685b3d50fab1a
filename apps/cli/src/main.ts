import { parseArgs } from 'node:util';
import { describeError, isSigilError } from '@sigil/errors';
import { CliError } from './cli-error.js';
import type { Command, Io } from './command.js';
import { inspect } from './commands/inspect.js';
import { rekorGet } from './commands/rekor-get.js';
import { signBundle } from './commands/sign-bundle.js';
import { signBlobCommand } from './commands/sign-blob.js';
import { verifyBlob } from './commands/verify-blob.js';
import { verifyBundle } from './commands/verify-bundle.js';
import { signImageCommand } from './commands/sign-image.js';
import { verifyImageCommand } from './commands/verify-image.js';
import { attestBlobCommand } from './commands/attest-blob.js';
import { verifyBlobAttestation } from './commands/verify-blob-attestation.js';
import { attestImageCommand } from './commands/attest-image.js';
import { verifyAttestationCommand } from './commands/verify-attestation.js';
import { provenanceCommand } from './commands/provenance.js';
import { verifyNpmCommand } from './commands/verify-npm.js';
import { gitlabCommand } from './commands/gitlab.js';
import { generateKeyPairCommand } from './commands/generate-key-pair.js';
import { importKeyPairCommand } from './commands/import-key-pair.js';
import { publicKeyCommand } from './commands/public-key.js';
import { initializeCommand } from './commands/initialize.js';

const COMMANDS: Command[] = [
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
  generateKeyPairCommand,
  importKeyPairCommand,
  publicKeyCommand,
  initializeCommand,
  inspect,
  rekorGet,
  verifyBundle,
  signBundle,
];

// Exit codes: 0 verified, 1 the bundle did not verify (or could not be read), 2 usage.
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(help());
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === 'version' || name === '--version') {
    io.stdout('sigil 0.1.0\n');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`Error: unknown command ${JSON.stringify(name)}\n\n${help()}`);
    return EXIT_USAGE;
  }
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }));
  } catch (err) {
    io.stderr(`Error: ${describeError(err)}\nUsage: ${command.usage}\n`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(values, positionals, io);
  } catch (err) {
    return report(err, command, io);
  }
}

function report(err: unknown, command: Command, io: Io): number {
  if (err instanceof CliError && err.code === 'CLI_USAGE') {
    io.stderr(`Error: ${err.message}\n${err.hint ? `Hint: ${err.hint}\n` : ''}Usage: ${command.usage}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof CliError && err.code === 'CLI_NOT_IMPLEMENTED') {
    io.stderr(`Error: ${err.message}\n`);
    return EXIT_USAGE;
  }
  if (isSigilError(err)) {
    io.stderr(`Error: ${err.code}: ${err.message}\n${err.hint ? `Hint: ${err.hint}\n` : ''}`);
    return EXIT_FAILURE;
  }
  // Not a typed error: a bug in sigil. Say so plainly, without a stack trace for the user.
  io.stderr(`Error: internal error (${describeError(err)}); please report this with the command you ran\n`);
  if (process.env.SIGIL_DEBUG) io.stderr(`${(err as Error)?.stack ?? ''}\n`);
  return EXIT_FAILURE;
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'sigil: Sigstore signing and verification, with cosign\'s commands and flags',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run sigil COMMAND --help for its flags.',
    '',
  ].join('\n');
}
