import { CliError } from '../cli-error.js';
import type { Command } from '../command.js';

/** The conformance protocol's signing command: keyless signing arrives with the signing issue. */
export const signBundle: Command = {
  name: 'sign-bundle',
  summary: 'Sign a file into a bundle (sigstore-conformance client protocol; not implemented yet)',
  usage: 'sigil sign-bundle [--staging] [--in-toto] --identity-token TOKEN --bundle FILE [--trusted-root F] [--signing-config F] FILE',
  options: {
    staging: { type: 'boolean' },
    'in-toto': { type: 'boolean' },
    'identity-token': { type: 'string' },
    bundle: { type: 'string' },
    'trusted-root': { type: 'string' },
    'signing-config': { type: 'string' },
  },
  async run() {
    throw new CliError('CLI_NOT_IMPLEMENTED', 'sign-bundle: keyless signing is not implemented in this version of sigil');
  },
};
