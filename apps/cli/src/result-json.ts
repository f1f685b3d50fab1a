import type { VerificationResult } from '@sigil/verify';

/** The verification result as plain JSON (bigints as strings, times as RFC 3339). */
export function resultToJson(result: VerificationResult): Record<string, unknown> {
  const firstEntry = result.tlogEntries[0];
  return {
    verified: true,
    bundleVersion: result.bundleVersion,
    identity: result.signer?.identity,
    issuer: result.signer?.issuer,
    extensions: result.signer?.extensions,
    logIndex: firstEntry ? firstEntry.logIndex.toString() : undefined,
    integratedTime: firstEntry?.integratedTime?.toISOString(),
    tlogEntries: result.tlogEntries.map((e) => ({
      logIndex: e.logIndex.toString(),
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
