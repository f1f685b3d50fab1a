import { serializeEnvelope } from '@sigil/bundle';
import { verifyImageAttestations } from '@sigil/oci';
import { Verifier } from '@sigil/verify';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { maxAttachmentSize } from '../cosign-environment.js';
import { cosignVerificationHeader } from '../cosign-verify-output.js';
import { VERIFY_ATTESTATION_FLAGS } from '../flag-sets/commands.js';
import { loadVerificationKey } from '../keys/load-key.js';
import { announcedOptOuts, type OptOutFlags } from '../options/opt-outs.js';
import { policyFromFlags, type PolicyFlags } from '../options/policy.js';
import { predicateTypeFromFlag } from '../options/predicate-type.js';
import { registryClientFromFlags, signatureRepositoryFromEnv, tagWarning, type RegistryFlags } from '../options/registry.js';
import { trustFromFlags, type TrustFlags } from '../options/trust.js';
import { outputFormat } from '../options/output-format.js';

type Flags = PolicyFlags & TrustFlags & RegistryFlags & OptOutFlags & { output?: string; type?: string };

export const verifyAttestationCommand: Command = {
  name: 'verify-attestation',
  summary: "Verify container images' attestations of a predicate type against an identity; prints each verified DSSE envelope, as cosign",
  usage:
    'sigil verify-attestation IMAGE [IMAGE...] --type slsaprovenance1|slsaprovenance|custom|URI|...\n' +
    '      (--certificate-identity ID | --certificate-identity-regexp RE) (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE) [flags]',
  examples: ['sigil verify-attestation "$IMAGE" --type slsaprovenance1 --gitlab-project group/project --gitlab-branch main | jq -r .payload | base64 -d'],
  flags: VERIFY_ATTESTATION_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    const flags = values as Flags;
    if (positionals.length === 0) throw usageError('expected at least one image');
    const output = outputFormat(flags.output, 'json');
    const predicateType = predicateTypeFromFlag(flags.type);
    const client = registryClientFromFlags(flags, process.env, io.stderr);
    // cosign's opt-outs: WARNING lines on stderr, its JSON on stdout unchanged. Several
    // signatures per image: the CA checks keep their thread pool.
    const optOuts = announcedOptOuts(flags, flags.key !== undefined, io.stderr);
    const verifier = new Verifier(trustFromFlags(flags, io), { ...optOuts.verifierOptions, backgroundChecks: true });
    const header = { withKey: flags.key !== undefined, tlogChecked: !optOuts.skipped.includes('transparency log') };
    const key = flags.key !== undefined ? await loadVerificationKey(flags.key, { env: process.env, stdin: process.stdin, stderr: io.stderr }) : undefined;
    const policy = policyFromFlags(flags, key);
    const signatureRepository = signatureRepositoryFromEnv();
    // cosign's COSIGN_MAX_ATTACHMENT_SIZE raises the 1 MiB an attestation is read to (SBOMs can be larger).
    const maxAttestationBytes = maxAttachmentSize(process.env);
    for (const image of positionals) {
      const verification = await verifyImageAttestations(image, { client, verifier, policy, predicateType, maxAttestationBytes, ...(signatureRepository ? { signatureRepository } : {}) });
      io.stderr(tagWarning(image, verification.image) + cosignVerificationHeader(image, false, header));
      // cosign prints attestations in its text mode whatever -o says: each verified DSSE envelope, one JSON object per line.
      for (const attestation of verification.attestations) {
        const content = attestation.bundle.content;
        if (content.$case === 'dsseEnvelope') io.stdout(`${JSON.stringify(serializeEnvelope(content.envelope))}\n`);
      }
    }
    return 0;
  },
};
