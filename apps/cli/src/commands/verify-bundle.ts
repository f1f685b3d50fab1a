import { plainFlags } from '../flags/plain.js';
import type { Command } from '../command.js';
import { runVerification, type VerifyFlags } from './run-verification.js';

/** The sigstore-conformance client protocol's verification command. */
export const verifyBundle: Command = {
  name: 'verify-bundle',
  summary: 'Verify a bundle (sigstore-conformance client protocol)',
  usage: 'sigil verify-bundle [--staging] --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM) [--trusted-root FILE] FILE_OR_DIGEST',
  flags: plainFlags({
    bundle: { type: 'string' },
    'certificate-identity': { type: 'string' },
    'certificate-oidc-issuer': { type: 'string' },
    key: { type: 'string' },
    'trusted-root': { type: 'string' },
    staging: { type: 'boolean' },
  }),
  async run(values, positionals, io) {
    await runVerification(values as VerifyFlags, positionals, io);
    return 0;
  },
};
