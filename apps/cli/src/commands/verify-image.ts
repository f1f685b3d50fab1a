import { parseJson, utf8Decode } from '@sigil/encoding';
import { SIMPLE_SIGNING_TYPE, verifyImage, type ImageVerification, type VerifiedImageSignature } from '@sigil/oci';
import { Verifier } from '@sigil/verify';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { policyFromFlags, type PolicyFlags } from '../options/policy.js';
import { annotationsFromFlags, REGISTRY_OPTIONS, registryClientFromFlags, tagWarning, type RegistryFlags } from '../options/registry.js';
import { trustFromFlags, type TrustFlags } from '../options/trust.js';
import { IMAGE_VERIFY_OPTIONS } from './verify-options.js';

export const verifyImageCommand: Command = {
  name: 'verify',
  summary: "Verify a container image's signatures (cosign 3 bundles and cosign 2 .sig tags) against an identity",
  usage:
    'sigil verify IMAGE (--certificate-identity ID | --certificate-identity-regexp RE)\n' +
    '      (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE) [--certificate-extension NAME=VALUE ...]\n' +
    '      [-a KEY=VALUE ...] [--trusted-root FILE | --staging] [--output json|text]\n' +
    '      [--allow-insecure-registry] [--registry-username USER --registry-password PASSWORD] [--timeout 3m]',
  options: { ...IMAGE_VERIFY_OPTIONS, annotations: { type: 'string', short: 'a', multiple: true }, ...REGISTRY_OPTIONS },
  async run(values, positionals, io) {
    const flags = values as PolicyFlags & TrustFlags & RegistryFlags & { output?: string; annotations?: string[] };
    if (positionals.length !== 1) throw usageError(`expected one image to verify, found ${positionals.length}`);
    const output = flags.output ?? 'json';
    if (output !== 'json' && output !== 'text') throw usageError(`--output: expected json or text, found ${output}`);
    const policy = policyFromFlags(flags);
    const verification = await verifyImage(positionals[0]!, {
      client: registryClientFromFlags(flags),
      verifier: new Verifier(trustFromFlags(flags, io)),
      policy,
      annotations: annotationsFromFlags(flags.annotations),
    });
    io.stderr(tagWarning(positionals[0]!, verification.image) + describeChecks(verification));
    if (output === 'json') io.stdout(`${JSON.stringify(verification.signatures.map((s) => cosignOutput(s, verification)))}\n`);
    else for (const s of verification.signatures) io.stdout(`${s.format === 'bundle' ? 'bundle referrer' : 'legacy .sig'} ${s.source}: signed by ${s.result.signer?.identity} (issuer ${s.result.signer?.issuer})\n`);
    return 0;
  },
};

function describeChecks(verification: ImageVerification): string {
  const skipped = verification.failures.length > 0 ? `(${verification.failures.length} other signature(s) did not verify and were ignored)\n` : '';
  return (
    `\nVerification for ${verification.image} --\nThe following checks were performed on each of these signatures:\n` +
    '  - The signed claims name this image digest (and every -a annotation)\n' +
    '  - Existence of the claims in the transparency log was verified offline\n' +
    '  - The code-signing certificate was verified using trusted certificate authority certificates\n' +
    '  - The certificate identity and issuer match the policy\n' +
    skipped
  );
}

/** cosign verify's JSON: the simple-signing claims, with the signer and the log entry under `optional`. */
function cosignOutput(signature: VerifiedImageSignature, verification: ImageVerification): Record<string, unknown> {
  const critical =
    signature.format === 'legacy'
      ? (parseJson(utf8Decode(signature.payload), 'payload') as { critical: unknown }).critical
      : { identity: { 'docker-reference': verification.image.split('@')[0] }, image: { 'docker-manifest-digest': verification.digest }, type: SIMPLE_SIGNING_TYPE };
  const entry = signature.result.tlogEntries[0];
  return {
    critical,
    optional: {
      ...signature.annotations,
      Issuer: signature.result.signer?.issuer,
      Subject: signature.result.signer?.identity,
      ...(entry ? { logIndex: entry.logIndex?.toString(), integratedTime: entry.integratedTime?.toISOString() } : {}),
      ...signature.result.signer?.extensions,
    },
  };
}
