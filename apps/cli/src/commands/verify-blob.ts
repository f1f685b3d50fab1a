import { printable } from '@sigil/errors';
import type { Command } from '../command.js';
import { VERIFY_BLOB_FLAGS } from '../flag-sets/blob-verification.js';
import { runVerification, type VerifyFlags } from './run-verification.js';

export const verifyBlob: Command = {
  name: 'verify-blob',
  summary: 'Verify a Sigstore bundle over a file (or - for stdin, or a sha256: digest), offline',
  usage:
    'sigil verify-blob ARTIFACT|-|sha256:HEX --bundle FILE (--certificate-identity ID | --certificate-identity-regexp RE)\n' +
    '      (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE) [flags]',
  examples: [
    'sigil verify-blob app.tar.gz --bundle app.tar.gz.sigstore.json --certificate-identity "https://gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main" --certificate-oidc-issuer https://gitlab.com',
    'sigil verify-blob app.tar.gz --bundle b.json --gitlab-project group/project --gitlab-branch main',
    'sigil verify-blob app.tar.gz --bundle b.json --certificate-identity-regexp "^https://github\\.com/org/.*$" --certificate-oidc-issuer https://token.actions.githubusercontent.com --certificate-github-workflow-trigger push',
  ],
  flags: VERIFY_BLOB_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    await runVerification(values as VerifyFlags, positionals, io, (result) => {
      // cosign and sigstore-go accept a DSSE bundle whose statement names the file; so does
      // Sigil, but what was signed is a claim about the file, not the file itself.
      if (result.statement) {
        io.stderr(
          `WARNING: the bundle is an attestation (predicate type ${printable(result.statement.predicateType)}) that names this file, not a signature over it; ` +
            'check what it claims with verify-blob-attestation --type\n',
        );
      }
    });
    return 0;
  },
};
