// Who the v2 log is: an Ed25519 key (as Rekor v2's log2025-1) and its origin, which Rekor v2
// sets to the log's host name (rekor-tiles' --hostname) and also uses as the checkpoint key
// name. Kept in the state directory; a start under another origin is refused rather than
// becoming a different log.
import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPublicKey } from '@sigil/crypto';
import { encodeHex } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { checkpointKeyId, type NoteSigner } from '@sigil/merkle';
import { loadOrCreateEd25519Key } from '../durable-state.js';
import { RekorServiceError } from '../rekor-server/errors.js';
import { writeDurably } from '../rekor-server/log-identity.js';

export const LOG_KEY_FILE = 'log-key.pem';
export const LOG_STATE_FILE = 'log.json';

export interface LogKeyV2 {
  /** Checkpoint origin and key name: the log's host name. */
  origin: string;
  privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo (Ed25519). */
  spki: Uint8Array;
  /** The C2SP key hash SHA-256(origin || 0x0A || 0x01 || key): Rekor v2's log ID. */
  logId: Uint8Array;
  noteSigner: NoteSigner;
}

export function loadLogKeyV2(dir: string, origin: string): LogKeyV2 {
  const privateKey = loadOrCreateEd25519Key(join(dir, LOG_KEY_FILE));
  const spki = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
  const logId = checkpointKeyId(origin, importPublicKey(spki, 'Rekor v2 log key'));
  const statePath = join(dir, LOG_STATE_FILE);
  if (existsSync(statePath)) {
    let stored: { origin?: unknown; logId?: unknown };
    try {
      stored = JSON.parse(readFileSync(statePath, 'utf8'));
      if (typeof stored !== 'object' || stored === null) throw new Error('expected a JSON object');
    } catch (err) {
      throw new RekorServiceError('STACK_REKOR_STORAGE_CORRUPT', `${statePath}: unreadable log state (${describeError(err)})`, { cause: err });
    }
    if (stored.origin !== origin || stored.logId !== encodeHex(logId)) {
      throw new RekorServiceError(
        'STACK_REKOR_STATE_MISMATCH',
        `${statePath}: the directory holds the log "${String(stored.origin)}" (log ID ${String(stored.logId)}), not "${origin}" (log ID ${encodeHex(logId)})`,
        { hint: 'a Rekor v2 log is named by its host: start the stack on the same host, or use a fresh state directory' },
      );
    }
  } else {
    writeDurably(dir, LOG_STATE_FILE, `${JSON.stringify({ origin, logId: encodeHex(logId) }, null, 2)}\n`, 0o644);
  }
  return {
    origin,
    privateKey,
    spki,
    logId,
    noteSigner: { name: origin, keyHint: logId.slice(0, 4), sign: (data) => new Uint8Array(sign(null, data, privateKey)) },
  };
}
