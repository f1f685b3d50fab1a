import type { Command } from '../command.js';
import { runVerification, type VerifyFlags } from './run-verification.js';
import { VERIFY_OPTIONS } from './verify-options.js';

export const verifyBlob: Command = {
  name: 'verify-blob',
  summary: 'Verify a Sigstore bundle over a file or a sha256: digest, offline',
  usage:
    'sigil verify-blob ARTIFACT --bundle FILE (--certificate-identity ID | --certificate-identity-regexp RE)\n' +
    '      (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE) [--certificate-extension NAME=VALUE ...]\n' +
    '      [--trusted-root FILE | --staging] [--key PEM] [--output json]',
  options: VERIFY_OPTIONS,
  async run(values, positionals, io) {
    await runVerification(values as VerifyFlags, positionals, io, (result) => {
      // cosign and sigstore-go accept a DSSE bundle whose statement names the file; so does
      // Sigil, but what was signed is a claim about the file, not the file itself.
      if (result.statement) {
        io.stderr(
          `WARNING: the bundle is an attestation (predicate type ${result.statement.predicateType}) that names this file, not a signature over it; ` +
            'check what it claims with verify-blob-attestation --type\n',
        );
      }
    });
    return 0;
  },
};
