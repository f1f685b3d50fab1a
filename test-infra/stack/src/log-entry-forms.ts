// The two shapes a log entry travels in: Rekor v1's API answer and a bundle's tlog entry.
import type { TransparencyLogEntry } from '@sigil/bundle';
import { encodeBase64, encodeHex, parseJson, typeOf, utf8Decode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { invalid } from './checks.js';
import type { LogEntry } from './transparency-log.js';

/** `{ "<entryId>": LogEntry }` exactly as `POST /api/v1/log/entries` or `GET ...?logIndex=` return it. */
export function toRekorResponse(entry: LogEntry): Record<string, unknown> {
  const proof = entry.inclusionProof;
  return {
    [entry.entryId]: {
      body: encodeBase64(entry.body),
      integratedTime: Number(entry.integratedTime),
      logID: encodeHex(entry.logId),
      logIndex: Number(entry.logIndex),
      verification: {
        signedEntryTimestamp: encodeBase64(entry.signedEntryTimestamp),
        inclusionProof: {
          logIndex: Number(proof.logIndex),
          rootHash: encodeHex(proof.rootHash),
          treeSize: Number(proof.treeSize),
          hashes: proof.hashes.map(encodeHex),
          checkpoint: proof.checkpoint,
        },
      },
    },
  };
}

/** The bundle's TransparencyLogEntry, kind and version read from the body as clients do. */
export function toBundleEntry(entry: LogEntry): TransparencyLogEntry {
  let body: { kind?: unknown; apiVersion?: unknown } | null;
  try {
    body = parseJson(utf8Decode(entry.body), 'log entry body') as typeof body;
  } catch (err) {
    invalid(`log entry body: expected canonical JSON (${describeError(err)})`);
  }
  if (typeof body?.kind !== 'string' || typeof body.apiVersion !== 'string') {
    invalid(`log entry body: expected "kind" and "apiVersion" strings, found ${typeOf(body?.kind)} and ${typeOf(body?.apiVersion)}`);
  }
  return {
    logIndex: entry.logIndex,
    logId: entry.logId,
    kindVersion: { kind: body.kind, version: body.apiVersion },
    integratedTime: entry.integratedTime,
    inclusionPromise: { signedEntryTimestamp: entry.signedEntryTimestamp },
    inclusionProof: { ...entry.inclusionProof },
    canonicalizedBody: entry.body,
  };
}
