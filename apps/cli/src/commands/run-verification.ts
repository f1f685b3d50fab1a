import { printable } from '@sigil/errors';
import { parseBundle, type Bundle } from '@sigil/bundle';
import { artifactFromBytes, Verifier, type Artifact, type VerificationResult } from '@sigil/verify';
import { readArtifact } from '../artifact-input.js';
import { detachedFromFlags } from '../detached/detached-input.js';
import { loadVerificationKey } from '../keys/load-key.js';
import { CliError, usageError } from '../cli-error.js';
import type { Io } from '../command.js';
import { readTextFileLimited } from '../files.js';
import type { DetachedFlags } from '../detached/detached-input.js';
import { announcedOptOuts, type OptOutFlags } from '../options/opt-outs.js';
import { policyFromFlags, type PolicyFlags } from '../options/policy.js';
import { resolveTrust, type TrustFlags } from '../options/trust.js';
import { resultToJson } from '../result-json.js';
import { readStdin } from '../stdin.js';
import { outputFormat } from '../options/output-format.js';

const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
const MAX_STDIN_BYTES = 256 * 1024 * 1024;

export type VerifyFlags = PolicyFlags & TrustFlags & DetachedFlags & OptOutFlags & { bundle?: string; output?: string; 'allow-certificate-chain'?: boolean };

// cosign's default --rekor-url: where a detached signature's entry is looked up.
const PUBLIC_GOOD_REKOR = 'https://rekor.sigstore.dev';

/**
 * verify-blob, verify-blob-attestation and verify-bundle: one artifact, one bundle, one
 * policy; `check` adds what a command requires beyond that (a predicate type, say).
 * `artifactFor` lets a command find the artifact another way (a --digest flag, say);
 * `skipped` names what the command itself left unchecked (it says so on stderr), for the JSON result.
 */
export async function runVerification(
  flags: VerifyFlags,
  positionals: string[],
  io: Io,
  check?: (result: VerificationResult) => void,
  artifactFor?: (bundle: Bundle) => Artifact | undefined,
  skipped: string[] = [],
): Promise<VerificationResult> {
  const detached = flags.bundle === undefined && flags.signature !== undefined;
  if (flags.bundle === undefined && !detached) throw usageError('expected --bundle FILE: the Sigstore bundle to verify (or --signature with --certificate or --key)');
  if (flags.bundle !== undefined && (flags.signature !== undefined || flags.certificate !== undefined)) throw usageError('--bundle holds the signature and certificate: --signature and --certificate go without it');
  // As cosign: a timestamp given beside a bundle is refused, not left unread behind 'Verified OK'.
  if (flags.bundle !== undefined && flags['rfc3161-timestamp'] !== undefined) throw usageError('--bundle holds its timestamps: --rfc3161-timestamp goes with --signature only');
  const output = outputFormat(flags.output, 'text');
  const key = flags.key !== undefined ? await loadVerificationKey(flags.key, { env: process.env, stdin: process.stdin, stderr: io.stderr }) : undefined;
  const policy = policyFromFlags(flags, key);
  const trust = resolveTrust(flags);
  for (const warning of trust.warnings) io.stderr(`WARNING: ${printable(warning)}\n`);
  const optOuts = announcedOptOuts(flags, flags.key !== undefined, io.stderr);
  let bundle: Bundle;
  let artifact: Artifact;
  if (detached) {
    if (artifactFor !== undefined) throw usageError('--signature: detached signatures are verified by verify-blob only; verify attestations from their bundle (--bundle)');
    const found = await detachedFromFlags(flags, await artifactOf(positionals), key, optOuts.skipped.includes('transparency log') ? undefined : (flags['rekor-url'] ?? PUBLIC_GOOD_REKOR));
    ({ bundle, artifact } = found);
  } else {
    bundle = parseBundle(readTextFileLimited(flags.bundle!, 'bundle', MAX_BUNDLE_BYTES));
    checkCertificateChain(bundle, flags['allow-certificate-chain'] === true);
    artifact = artifactFor?.(bundle) ?? (await artifactOf(positionals));
  }
  // One bundle per process: no thread pool for the CA checks (optOuts' VerifierOptions say so).
  const result = await new Verifier(trust.material, optOuts.verifierOptions).verify(bundle, artifact, policy);
  check?.(result);
  if (output === 'json') io.stdout(`${JSON.stringify({ ...resultToJson(result), skipped: [...optOuts.skipped, ...skipped], trust: trust.source }, null, 2)}\n`);
  io.stderr('Verified OK\n');
  return result;
}

async function artifactOf(positionals: string[]): Promise<Artifact> {
  if (positionals.length !== 1) throw usageError(`expected one artifact (a file, - for stdin, or sha256:<hex>), found ${positionals.length}`);
  return positionals[0] === '-' ? artifactFromBytes(await readStdin('artifact', MAX_STDIN_BYTES)) : readArtifact(positionals[0]!);
}

/**
 * As cosign (sigstore-go's bundle options): a v0.3 bundle carries the leaf certificate alone;
 * one with a certificate chain is refused unless --allow-certificate-chain. The chain is never
 * trusted either way: the trusted root decides.
 */
function checkCertificateChain(bundle: Bundle, allowed: boolean): void {
  if (allowed || bundle.version !== '0.3' || bundle.verificationMaterial.content.$case !== 'x509CertificateChain') return;
  throw new CliError('CLI_CERTIFICATE_CHAIN', 'bundle: expected a v0.3 bundle with a single certificate, found a certificate chain', {
    hint: 'pass --allow-certificate-chain to accept it, as cosign does (the chain is not trusted: the trusted root decides)',
  });
}
