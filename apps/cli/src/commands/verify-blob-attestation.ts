import { CliError } from '../cli-error.js';
import type { Command } from '../command.js';
import { predicateTypeFromFlag } from '../options/predicate-type.js';
import { runVerification, type VerifyFlags } from './run-verification.js';
import { VERIFY_OPTIONS } from './verify-options.js';

export const verifyBlobAttestation: Command = {
  name: 'verify-blob-attestation',
  summary: 'Verify an attestation bundle over a file: signature, log entry, identity, and the predicate type',
  usage:
    'sigil verify-blob-attestation ARTIFACT --bundle FILE --type slsaprovenance1|slsaprovenance|custom|URI|...\n' +
    '      (--certificate-identity ID | --certificate-identity-regexp RE) (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE)\n' +
    '      [--certificate-extension NAME=VALUE ...] [--trusted-root FILE | --staging] [--output json]',
  options: { ...VERIFY_OPTIONS, type: { type: 'string' }, 'check-claims': { type: 'boolean' } },
  async run(values, positionals, io) {
    const flags = values as VerifyFlags & { type?: string };
    const predicateType = predicateTypeFromFlag(flags.type);
    await runVerification(flags, positionals, io, (result) => {
      // The verifier already matched the artifact's digest against the statement's subjects.
      const found = result.statement?.predicateType;
      if (found !== predicateType) {
        throw new CliError('CLI_ATTESTATION_MISMATCH', `attestation: expected predicate type ${predicateType}, found ${found === undefined ? 'a bundle that is not an attestation' : found}`, {
          hint: '--type takes cosign\'s names (slsaprovenance1, slsaprovenance, custom, ...) or the predicate type URI',
        });
      }
    });
    return 0;
  },
};
