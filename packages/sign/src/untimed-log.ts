/**
 * A Rekor v2 entry carries no signed time (no SET): only an RFC 3161 timestamp dates the
 * signature. The first Rekor v2 log of `logs` when no timestamp authority would do so.
 */
export function rekorV2WithoutTimestamp<Log extends { majorApiVersion: number }>(logs: readonly Log[], timestampAuthorities: number): Log | undefined {
  return timestampAuthorities === 0 ? logs.find((log) => log.majorApiVersion === 2) : undefined;
}
