import { parseBundle } from '@sigil/bundle';
import { Verifier, type VerificationResult } from '@sigil/verify';
import { readArtifact } from '../artifact-input.js';
import { usageError } from '../cli-error.js';
import type { Io } from '../command.js';
import { readTextFileLimited } from '../files.js';
import { policyFromFlags, type PolicyFlags } from '../options/policy.js';
import { resolveTrust, type TrustFlags } from '../options/trust.js';
import { resultToJson } from '../result-json.js';

const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

export type VerifyFlags = PolicyFlags & TrustFlags & { bundle?: string; output?: string };

/**
 * verify-blob, verify-blob-attestation and verify-bundle: one artifact, one bundle, one
 * policy; `check` adds what a command requires beyond that (a predicate type, say).
 */
export async function runVerification(flags: VerifyFlags, positionals: string[], io: Io, check?: (result: VerificationResult) => void): Promise<VerificationResult> {
  if (positionals.length !== 1) throw usageError(`expected one artifact (a file or sha256:<hex>), found ${positionals.length}`);
  if (flags.bundle === undefined) throw usageError('expected --bundle FILE: the Sigstore bundle to verify');
  if (flags.output !== undefined && flags.output !== 'json' && flags.output !== 'text') throw usageError(`--output: expected json or text, found ${flags.output}`);
  const policy = policyFromFlags(flags);
  const trust = resolveTrust(flags);
  for (const warning of trust.warnings) io.stderr(`WARNING: ${warning}\n`);
  const bundle = parseBundle(readTextFileLimited(flags.bundle, 'bundle', MAX_BUNDLE_BYTES));
  const artifact = readArtifact(positionals[0]!);
  const result = await new Verifier(trust.material).verify(bundle, artifact, policy);
  check?.(result);
  if (flags.output === 'json') io.stdout(`${JSON.stringify({ ...resultToJson(result), trust: trust.source }, null, 2)}\n`);
  io.stderr('Verified OK\n');
  return result;
}
