import type { VerificationResult } from '@sigil/verify';

/**
 * The verification result as plain JSON (bigints as strings, times as RFC 3339). Only verified
 * fields: an entry's logIndex is absent when no SET binds it (the proof's index is given apart).
 */
export function resultToJson(result: VerificationResult): Record<string, unknown> {
  const firstEntry = result.tlogEntries[0];
  return {
    verified: true,
    bundleVersion: result.bundleVersion,
    // A DSSE bundle's signature is over a statement about the artifact, not over the artifact.
    attestation: result.statement !== undefined,
    identity: result.signer?.identity,
    issuer: result.signer?.issuer,
    extensions: result.signer?.extensions,
    logIndex: firstEntry?.logIndex?.toString(),
    integratedTime: firstEntry?.integratedTime?.toISOString(),
    tlogEntries: result.tlogEntries.map((e) => ({
      logIndex: e.logIndex?.toString(),
      inclusionProofIndex: e.inclusionProofIndex?.toString(),
      logUrl: e.logUrl,
      kind: `${e.kind}/${e.version}`,
      integratedTime: e.integratedTime?.toISOString(),
    })),
    timestamps: result.timestamps.map((t) => ({ kind: t.kind, time: t.time.toISOString(), source: t.source })),
    statement: result.statement
      ? { type: result.statement.type, predicateType: result.statement.predicateType, subjects: result.statement.subjects }
      : undefined,
  };
}
