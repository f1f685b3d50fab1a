import { JSON_DOCUMENT_LIMITS, parseJson } from '@sigil/encoding';
import { ProvenanceError, verifyNpmProvenance, verifyNpmRegistrySignature } from '@sigil/provenance';
import { regexp, Verifier, type VerificationPolicy } from '@sigil/verify';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { readFileLimited, readTextFileLimited } from '../files.js';
import { namesSigner, policyFromFlags, type PolicyFlags } from '../options/policy.js';
import { trustFromFlags, type TrustFlags } from '../options/trust.js';
import { npmKeysFromTuf } from '../options/tuf-targets.js';
import { textLines } from '../terminal-output.js';
import { flagsOf } from '../flags/spec.js';
import { plainFlags } from '../flags/plain.js';
import { POLICY_AND_TRUST_FLAGS } from './verify-options.js';

const MAX_TARBALL_BYTES = 512 * 1024 * 1024;
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

type NpmFlags = PolicyFlags & TrustFlags & { attestations?: string; packument?: string; 'registry-keys'?: string; output?: string };

export const verifyNpmCommand: Command = {
  name: 'verify-npm',
  summary: "Verify an npm package tarball's provenance (and its registry signature, as npm audit signatures does)",
  usage:
    'sigil verify-npm TARBALL --attestations FILE [--certificate-identity ID --certificate-oidc-issuer URL | --gitlab-project GROUP/PROJECT ...]\n' +
    '      [--packument FILE [--registry-keys FILE]] [--trusted-root FILE | --staging] [--output json]',
  flags: flagsOf(
    POLICY_AND_TRUST_FLAGS,
    plainFlags({
      attestations: { type: 'string', description: "the registry's attestations for this version (/-/npm/v1/attestations/NAME@VERSION)" },
      packument: { type: 'string', description: "the package's packument (for the registry signature)" },
      'registry-keys': { type: 'string', description: "the registry's signing keys (/-/npm/v1/keys)" },
    }),
  ),
  async run(values, positionals, io) {
    const flags = values as NpmFlags;
    if (positionals.length !== 1) throw usageError(`expected one package tarball (.tgz), found ${positionals.length}`);
    if (flags.attestations === undefined) throw usageError("expected --attestations FILE: the registry's attestations for this version (/-/npm/v1/attestations/NAME@VERSION)");
    if (flags['registry-keys'] !== undefined && flags.packument === undefined) throw usageError('--registry-keys needs --packument: the registry signatures the keys check');
    const tarball = readFileLimited(positionals[0]!, 'tarball', MAX_TARBALL_BYTES);
    const pinned = namesSigner(flags);
    const result = await verifyNpmProvenance({
      tarball,
      attestations: readTextFileLimited(flags.attestations, 'attestations', MAX_DOCUMENT_BYTES),
      verifier: new Verifier(trustFromFlags(flags, io)),
      policy: pinned ? policyFromFlags(flags) : ANY_SIGNER,
    });
    const lines = [`Verified provenance of ${result.name}@${result.version} (${result.integrity.slice(0, 20)}...): signed by ${result.signer?.identity} (issuer ${result.signer?.issuer})`];
    if (!pinned) lines.push('WARNING: no identity was pinned: any signer whose certificate names the provenance\'s source repository was accepted. Pin one with --certificate-identity or --gitlab-project.');
    if (flags.packument !== undefined) {
      const signed = registrySignature(flags, result.name, result.version, result.integrity);
      lines.push(`Verified registry signature of ${result.name}@${result.version} (key ${signed.keyids.join(', ')})`);
    }
    if (flags.output === 'json') io.stdout(`${JSON.stringify({ verified: true, name: result.name, version: result.version, purl: result.purl, integrity: result.integrity, identity: result.signer?.identity, issuer: result.signer?.issuer, sourceRepository: result.provenance.sourceRepository, sourceCommit: result.provenance.sourceCommit })}\n`);
    io.stderr(textLines(lines));
    return 0;
  },
};

// npm itself verifies provenance without a pinned identity, binding the statement to the
// certificate's source repository instead; verifyNpmProvenance makes that check either way.
const ANY_SIGNER: VerificationPolicy = { identities: [{ subjectAlternativeName: regexp('^.+$', 'certificate identity'), issuer: regexp('^.+$', 'certificate OIDC issuer'), extensions: new Map() }] };


/** The version's dist.signatures and publish time from the packument, checked with the registry's keys. */
function registrySignature(flags: NpmFlags, name: string, version: string, integrity: string) {
  const packument = parseJson(readTextFileLimited(flags.packument!, 'packument', MAX_DOCUMENT_BYTES), `packument ${flags.packument}`, JSON_DOCUMENT_LIMITS['npm packument']) as {
    versions?: Record<string, { dist?: { integrity?: unknown; signatures?: unknown } }>;
    time?: Record<string, unknown>;
  };
  const dist = packument?.versions?.[version]?.dist;
  if (!dist) throw new ProvenanceError('PROVENANCE_NPM_SIGNATURES_INVALID', `packument ${flags.packument}: expected versions["${version}"].dist, found none`);
  // The signatures are checked over the tarball's own integrity: a packument for other bytes fails there.
  const published = packument.time?.[version];
  return verifyNpmRegistrySignature({
    name,
    version,
    integrity,
    signatures: dist.signatures as { keyid: string; sig: string }[],
    // Without --registry-keys, the keys npm distributes through Sigstore's TUF (sigil initialize).
    keys: flags['registry-keys'] !== undefined ? readTextFileLimited(flags['registry-keys'], 'registry keys', MAX_DOCUMENT_BYTES) : npmKeysFromTuf(flags).keys,
    ...(typeof published === 'string' && !Number.isNaN(Date.parse(published)) ? { publishedAt: new Date(published) } : {}),
  });
}
