// Rekor v1's JSON answers as its Go server writes them: fields in the generated models' order
// (alphabetical), a newline after the document (json.Encoder), integers as numbers.
import type { ServerResponse } from 'node:http';
import { encodeBase64, encodeHex } from '@sigil/encoding';
import type { SignedTreeHead, StoredEntry } from './log-store.js';

export interface EntryAnswer {
  entry: StoredEntry;
  /** 80 hex: tree ID then UUID. */
  entryId: string;
  logId: Uint8Array;
  head: SignedTreeHead;
  proof: Uint8Array[];
}

/** `{ "<entryId>": LogEntryAnon }`. */
export function logEntryJson({ entry, entryId, logId, head, proof }: EntryAnswer): Record<string, unknown> {
  const logIndex = Number(entry.logIndex);
  return {
    [entryId]: {
      body: encodeBase64(entry.body),
      integratedTime: Number(entry.integratedTime),
      logID: encodeHex(logId),
      logIndex,
      verification: {
        inclusionProof: {
          checkpoint: head.checkpoint,
          hashes: proof.map(encodeHex),
          logIndex,
          rootHash: encodeHex(head.rootHash),
          treeSize: Number(head.treeSize),
        },
        signedEntryTimestamp: encodeBase64(entry.signedEntryTimestamp),
      },
    },
  };
}

export function logInfoJson(head: SignedTreeHead, treeId: bigint): Record<string, unknown> {
  return {
    inactiveShards: [],
    rootHash: encodeHex(head.rootHash),
    signedTreeHead: head.checkpoint,
    treeID: treeId.toString(),
    treeSize: Number(head.treeSize),
  };
}

export function consistencyProofJson(rootHash: Uint8Array, proof: Uint8Array[]): Record<string, unknown> {
  return { hashes: proof.map(encodeHex), rootHash: encodeHex(rootHash) };
}

export function sendRekorJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(value)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
