import { parseImageReference, verifyImage } from '@sigil/oci';
import { Verifier } from '@sigil/verify';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { claimsOf, cosignJsonOutput, cosignVerificationHeader, goReferenceName } from '../cosign-verify-output.js';
import { VERIFY_FLAGS } from '../flag-sets/commands.js';
import { imageVerifyExitCode } from '../image-exit-codes.js';
import { loadVerificationKey } from '../keys/load-key.js';
import { announcedOptOuts, type OptOutFlags } from '../options/opt-outs.js';
import { policyFromFlags, type PolicyFlags } from '../options/policy.js';
import { annotationsFromFlags, registryClientFromFlags, signatureRepositoryFromEnv, tagWarning, type RegistryFlags } from '../options/registry.js';
import { trustFromFlags, type TrustFlags } from '../options/trust.js';
import { textLines } from '../terminal-output.js';
import { outputFormat } from '../options/output-format.js';

type Flags = PolicyFlags & TrustFlags & RegistryFlags & OptOutFlags & { output?: string; annotations?: string[] };

export const verifyImageCommand: Command = {
  name: 'verify',
  summary: "Verify container images' signatures (cosign 3 bundles and cosign 2 .sig tags) against an identity; prints cosign's JSON",
  usage:
    'sigil verify IMAGE [IMAGE...] (--certificate-identity ID | --certificate-identity-regexp RE)\n' +
    '      (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE) [-a KEY=VALUE,...] [-o json|text] [flags]',
  examples: [
    'sigil verify "$IMAGE" --certificate-identity "https://gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main" --certificate-oidc-issuer https://gitlab.com',
    'sigil verify "$IMAGE" --gitlab-project group/project --gitlab-branch main -o text',
    'sigil verify "$IMAGE" --key gitlab://group/project    # signed with sigil sign --key (GITLAB_TOKEN, GITLAB_HOST)',
    'Exit codes as cosign: 10 no signatures, 11 image not found, 12 no matching cosign 2 signature, 13 a cosign 2 signature without certificate.',
  ],
  flags: VERIFY_FLAGS,
  cosign: true,
  exitCodeFor: imageVerifyExitCode,
  async run(values, positionals, io) {
    const flags = values as Flags;
    if (positionals.length === 0) throw usageError('expected at least one image to verify');
    const output = outputFormat(flags.output, 'json');
    const key = flags.key !== undefined ? await loadVerificationKey(flags.key, { env: process.env, stdin: process.stdin, stderr: io.stderr }) : undefined;
    const policy = policyFromFlags(flags, key);
    const client = registryClientFromFlags(flags, process.env, io.stderr);
    // cosign's opt-outs: WARNING lines on stderr, its JSON on stdout unchanged. Several
    // signatures per image: the CA checks keep their thread pool.
    const optOuts = announcedOptOuts(flags, flags.key !== undefined, io.stderr);
    const verifier = new Verifier(trustFromFlags(flags, io), { ...optOuts.verifierOptions, backgroundChecks: true });
    const header = { withKey: flags.key !== undefined, tlogChecked: !optOuts.skipped.includes('transparency log') };
    const annotations = annotationsFromFlags(flags.annotations);
    const signatureRepository = signatureRepositoryFromEnv();
    for (const image of positionals) {
      const ref = parseImageReference(image);
      const verification = await verifyImage(ref, { client, verifier, policy, annotations, logEntryRequired: header.tlogChecked, ...(signatureRepository ? { signatureRepository } : {}) });
      const name = goReferenceName(ref);
      io.stderr(tagWarning(image, verification.image) + cosignVerificationHeader(name, (flags.annotations ?? []).length > 0, header));
      if (verification.failures.length > 0) io.stderr(`(${verification.failures.length} other signature(s) did not verify and were ignored)\n`);
      const claims = verification.signatures.map((s) => claimsOf(s, name));
      if (output === 'json') io.stdout(cosignJsonOutput(claims));
      else {
        for (const c of claims) {
          if (c.certificateLines.length) io.stderr(textLines(c.certificateLines));
          io.stdout(`${c.text}\n`);
        }
      }
    }
    return 0;
  },
};
