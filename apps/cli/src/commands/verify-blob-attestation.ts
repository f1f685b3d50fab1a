import { parseStatement, type Bundle } from '@sigil/bundle';
import { parseDigestArgument, type Artifact } from '@sigil/verify';
import { CliError, usageError } from '../cli-error.js';
import type { Command, Io } from '../command.js';
import { VERIFY_BLOB_ATTESTATION_FLAGS } from '../flag-sets/blob-verification.js';
import { predicateTypeFromFlag } from '../options/predicate-type.js';
import { runVerification, type VerifyFlags } from './run-verification.js';

type Flags = VerifyFlags & { type?: string; 'check-claims'?: boolean; digest?: string; digestAlg?: string };

export const verifyBlobAttestation: Command = {
  name: 'verify-blob-attestation',
  summary: 'Verify an attestation bundle over a file: signature, log entry, identity, and the predicate type',
  usage:
    'sigil verify-blob-attestation [ARTIFACT|-] --bundle FILE --type slsaprovenance1|slsaprovenance|custom|URI|...\n' +
    '      (--certificate-identity ID | --certificate-identity-regexp RE) (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE) [flags]',
  examples: [
    'sigil verify-blob-attestation app.tar.gz --bundle att.json --type slsaprovenance1 --certificate-identity ID --certificate-oidc-issuer https://gitlab.com',
    'sigil verify-blob-attestation --bundle att.json --digest 2cf24dba... --digestAlg sha256 --type custom --certificate-identity ID --certificate-oidc-issuer ISSUER',
  ],
  flags: VERIFY_BLOB_ATTESTATION_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    const flags = values as Flags;
    const predicateType = predicateTypeFromFlag(flags.type);
    const checkClaims = flags['check-claims'] !== false;
    // Without --digest, --check-claims=false compares the subjects with nothing (with it, they are still compared).
    const claimsSkipped = !checkClaims && flags.digest === undefined;
    if (positionals.length > 1) throw usageError(`expected at most one artifact, found ${positionals.length}`);
    if (flags.digest !== undefined && positionals.length > 0) throw usageError('--digest replaces the artifact: give one or the other');
    const artifactFor = (bundle: Bundle): Artifact | undefined => {
      if (flags.digest !== undefined) return digestArtifact(flags.digest, flags.digestAlg);
      if (claimsSkipped) return subjectOf(bundle, io);
      if (positionals.length === 0) throw usageError('expected the artifact (or --digest HEX, or --check-claims=false to check the signature only)');
      return undefined;
    };
    await runVerification(
      flags,
      positionals,
      io,
      (result) => {
        // The verifier already matched the artifact's digest against the statement's subjects.
        const found = result.statement?.predicateType;
        if (found !== predicateType) {
          throw new CliError('CLI_ATTESTATION_MISMATCH', `attestation: expected predicate type ${predicateType}, found ${found === undefined ? 'a bundle that is not an attestation' : found}`, {
            hint: "--type takes cosign's names (slsaprovenance1, slsaprovenance, custom, ...) or the predicate type URI",
          });
        }
      },
      artifactFor,
      claimsSkipped ? ['artifact claims (subjects)'] : [],
    );
    return 0;
  },
};

/** cosign's --digest HEX --digestAlg ALG (sha256 when not given). */
function digestArtifact(hex: string, algorithm = 'sha256'): Artifact {
  const artifact = parseDigestArgument(`${algorithm || 'sha256'}:${hex}`);
  if (!artifact) throw usageError(`--digest ${hex} --digestAlg ${algorithm}: expected a hex ${algorithm} digest (sha256, sha384 or sha512)`);
  return artifact;
}

/** --check-claims=false: the statement's first subject stands for the artifact, so nothing is compared with it, as cosign. */
function subjectOf(bundle: Bundle, io: Io): Artifact {
  const content = bundle.content;
  if (content.$case !== 'dsseEnvelope') throw usageError('--check-claims=false: expected an attestation bundle (a DSSE envelope)');
  const subject = parseStatement(content.envelope.payload).subjects.find((s) => s.digest.sha256 !== undefined);
  if (!subject) throw usageError('--check-claims=false: the statement names no sha256 subject');
  io.stderr('WARNING: --check-claims=false: the statement\'s subjects were not compared with any artifact\n');
  return parseDigestArgument(`sha256:${subject.digest.sha256}`)!;
}
