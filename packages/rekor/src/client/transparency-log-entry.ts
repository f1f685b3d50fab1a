import { JSON_DOCUMENT_LIMITS, jsonShapeRefusal, parseJson, typeOf, utf8Decode } from '@sigil/encoding';
import { invalidInput } from './errors.js';
import type { RekorLogEntry } from './log-entry.js';
import { responseInvalid } from './response-reader.js';

/**
 * The shape of @sigil/bundle's TransparencyLogEntry, written out here because @sigil/rekor
 * sits beside @sigil/bundle (layer 4) and cannot import it; the types are structurally the same.
 */
export interface TransparencyLogEntry {
  logIndex: bigint;
  logId: Uint8Array;
  kindVersion: { kind: string; version: string };
  integratedTime: bigint;
  inclusionPromise?: { signedEntryTimestamp: Uint8Array };
  inclusionProof?: {
    logIndex: bigint;
    rootHash: Uint8Array;
    treeSize: bigint;
    hashes: Uint8Array[];
    checkpoint?: string;
  };
  canonicalizedBody: Uint8Array;
}

/** A bundle's tlog entry for a log entry: kind and version read from the body. */
export function toTransparencyLogEntry(entry: RekorLogEntry): TransparencyLogEntry {
  if (typeof entry !== 'object' || entry === null || !(entry.body instanceof Uint8Array) || typeof entry.verification !== 'object') {
    invalidInput(`toTransparencyLogEntry: expected a RekorLogEntry, found ${typeOf(entry)}`);
  }
  const proof = entry.verification.inclusionProof;
  return {
    logIndex: entry.logIndex,
    logId: entry.logId,
    kindVersion: kindVersionOf(entry.body),
    integratedTime: entry.integratedTime,
    inclusionPromise: { signedEntryTimestamp: entry.verification.signedEntryTimestamp },
    ...(proof ? { inclusionProof: { ...proof, hashes: [...proof.hashes] } } : {}),
    canonicalizedBody: entry.body,
  };
}

function kindVersionOf(body: Uint8Array): { kind: string; version: string } {
  let parsed: unknown;
  try {
    parsed = parseJson(utf8Decode(body, 'entry body'), 'entry body', JSON_DOCUMENT_LIMITS['Rekor entry body']);
  } catch (err) {
    throw responseInvalid(`Rekor ${jsonShapeRefusal(err)?.message ?? 'entry body: expected UTF-8 JSON'}`, { path: '$' }, err);
  }
  const { kind, apiVersion } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || kind === '' || apiVersion === '') {
    throw responseInvalid('Rekor entry body: expected string kind and apiVersion fields', { path: '$' });
  }
  return { kind, version: apiVersion };
}
