import { serializeEnvelope } from '@sigil/bundle';
import { verifyImageAttestations } from '@sigil/oci';
import { Verifier } from '@sigil/verify';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { policyFromFlags, type PolicyFlags } from '../options/policy.js';
import { predicateTypeFromFlag } from '../options/predicate-type.js';
import { REGISTRY_OPTIONS, registryClientFromFlags, tagWarning, type RegistryFlags } from '../options/registry.js';
import { trustFromFlags, type TrustFlags } from '../options/trust.js';
import { IMAGE_VERIFY_OPTIONS } from './verify-options.js';

export const verifyAttestationCommand: Command = {
  name: 'verify-attestation',
  summary: "Verify a container image's attestations of a predicate type against an identity",
  usage:
    'sigil verify-attestation IMAGE --type slsaprovenance1|slsaprovenance|custom|URI|...\n' +
    '      (--certificate-identity ID | --certificate-identity-regexp RE) (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE)\n' +
    '      [--certificate-extension NAME=VALUE ...] [--trusted-root FILE | --staging] [--output json|text]\n' +
    '      [--allow-insecure-registry] [--registry-username USER --registry-password PASSWORD] [--timeout 3m]',
  options: { ...IMAGE_VERIFY_OPTIONS, type: { type: 'string' }, ...REGISTRY_OPTIONS },
  async run(values, positionals, io) {
    const flags = values as PolicyFlags & TrustFlags & RegistryFlags & { output?: string; type?: string };
    if (positionals.length !== 1) throw usageError(`expected one image, found ${positionals.length}`);
    const output = flags.output ?? 'json';
    if (output !== 'json' && output !== 'text') throw usageError(`--output: expected json or text, found ${output}`);
    const predicateType = predicateTypeFromFlag(flags.type);
    const verification = await verifyImageAttestations(positionals[0]!, {
      client: registryClientFromFlags(flags),
      verifier: new Verifier(trustFromFlags(flags, io)),
      policy: policyFromFlags(flags),
      predicateType,
    });
    io.stderr(tagWarning(positionals[0]!, verification.image));
    io.stderr(`\nVerification for ${verification.image} --\n${verification.attestations.length} attestation(s) of type ${predicateType} verified: signature, log entry, subject digest and identity\n`);
    for (const attestation of verification.attestations) {
      // cosign prints each verified DSSE envelope, one JSON object per line.
      if (output === 'json') {
        const content = attestation.bundle.content;
        if (content.$case === 'dsseEnvelope') io.stdout(`${JSON.stringify(serializeEnvelope(content.envelope))}\n`);
      } else {
        io.stdout(`${attestation.source}: ${attestation.statement.predicateType} signed by ${attestation.result.signer?.identity}\n`);
      }
    }
    return 0;
  },
};
