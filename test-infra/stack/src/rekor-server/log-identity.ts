// Who the log is: its signing key and tree ID, kept in the state directory so that a restart
// serves the same log (SETs and checkpoints under one key, one checkpoint origin).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeHex, typeOf } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { loadOrCreateSigningKey } from '../durable-state.js';
import type { SigningKey } from '../keys.js';
import { syncDirectory } from './entries-file.js';
import { RekorServiceError } from './errors.js';

export const LOG_KEY_FILE = 'log-key.pem';
export const LOG_STATE_FILE = 'log.json';
const MAX_INT63 = (1n << 63n) - 1n;

export interface LogIdentity {
  key: SigningKey;
  treeId: bigint;
}

/**
 * The log's key (the one given, else DIR/log-key.pem, created on first use with mode 0600) and
 * tree ID (the one given, else the stored one, else random), checked against DIR/log.json: a
 * directory that holds another log's entries is refused rather than served under a new identity.
 */
export function loadLogIdentity(dir: string, given: { signingKey?: SigningKey | undefined; treeId?: bigint | undefined }): LogIdentity {
  const key = given.signingKey ?? loadOrCreateSigningKey(join(dir, LOG_KEY_FILE), 'P-256');
  if (key.curve !== 'P-256') options(`signingKey: expected a P-256 key (Rekor v1 logs sign with ECDSA P-256), found ${key.curve}`);
  const logId = encodeHex(key.keyId);
  const statePath = join(dir, LOG_STATE_FILE);
  if (!existsSync(statePath)) {
    const treeId = given.treeId ?? randomTreeId();
    writeDurably(dir, LOG_STATE_FILE, `${JSON.stringify({ treeId: treeId.toString(), logId }, null, 2)}\n`, 0o644);
    return { key, treeId };
  }
  const stored = readState(statePath);
  if (stored.logId !== logId) {
    throw new RekorServiceError('STACK_REKOR_STATE_MISMATCH', `${statePath}: the log holds entries signed by log ID ${stored.logId}, but the key given has log ID ${logId}`);
  }
  if (given.treeId !== undefined && given.treeId !== stored.treeId) {
    throw new RekorServiceError('STACK_REKOR_STATE_MISMATCH', `${statePath}: the log has tree ID ${stored.treeId}, but tree ID ${given.treeId} was given`);
  }
  return { key, treeId: stored.treeId };
}

export function checkTreeId(value: unknown): bigint {
  if (typeof value !== 'bigint' || value <= 0n || value > MAX_INT63) options(`treeId: expected a bigint from 1 to 2^63-1, found ${typeOf(value)} ${String(value)}`);
  return value;
}

function readState(path: string): { treeId: bigint; logId: string } {
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as { treeId?: unknown; logId?: unknown };
    if (typeof state.treeId !== 'string' || !/^[1-9][0-9]{0,18}$/.test(state.treeId) || typeof state.logId !== 'string' || !/^[0-9a-f]{64}$/.test(state.logId)) {
      throw new Error('expected {"treeId": "<decimal>", "logId": "<64 hex>"}');
    }
    return { treeId: checkTreeId(BigInt(state.treeId)), logId: state.logId };
  } catch (err) {
    throw new RekorServiceError('STACK_REKOR_STORAGE_CORRUPT', `${path}: unreadable log state (${describeError(err)})`, { cause: err });
  }
}

/** Writes a small file so that it is either absent or whole after a crash. */
export function writeDurably(dir: string, name: string, text: string, mode: number): void {
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(temporary, text, { mode, flush: true });
  renameSync(temporary, join(dir, name));
  syncDirectory(dir);
}

function randomTreeId(): bigint {
  const value = BigInt(`0x${encodeHex(randomBytes(8))}`) & MAX_INT63;
  return value === 0n ? 1n : value;
}

function options(message: string): never {
  throw new RekorServiceError('STACK_REKOR_OPTIONS_INVALID', message);
}
