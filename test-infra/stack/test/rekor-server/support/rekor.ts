// A Rekor service on 127.0.0.1 for a test, and checks of what it answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { importPublicKey, importPublicKeyPem, sha256, type PublicKey } from '@sigil/crypto';
import { bytesEqual, decodeBase64, decodeHex, encodeHex } from '@sigil/encoding';
import { leafHash, parseCheckpoint, verifyCheckpoint, verifyConsistencyProof, verifyInclusionProof, type Checkpoint } from '@sigil/merkle';
import { verifySignedEntryTimestamp } from '@sigil/rekor';
import { createRouter, serve } from '../../../src/http/index.js';
import { createRekorService, type RekorService, type RekorServiceOptions } from '../../../src/rekor-server/index.js';

export interface RunningRekor {
  url: string;
  dir: string;
  service: RekorService;
  key: LogKey;
  /** Stops the server and the service; the directory stays unless `remove`. */
  stop(remove?: boolean): Promise<void>;
}

export interface LogKey {
  publicKey: PublicKey;
  logId: Uint8Array;
  host: string;
}

export function temporaryDir(): string {
  return mkdtempSync(join(tmpdir(), 'sigil-rekor-'));
}

export async function startRekor(options: Partial<RekorServiceOptions> = {}): Promise<RunningRekor> {
  const dir = options.dir ?? temporaryDir();
  const host = options.host ?? 'rekor.local';
  const service = await createRekorService({ ...options, dir, host });
  const server = await serve(createRouter(service.routes));
  return {
    url: server.url,
    dir,
    service,
    key: { publicKey: importPublicKey(service.logKey.spki), logId: service.logId, host },
    async stop(remove = false) {
      await server.close();
      await service.close();
      if (remove) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function request(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function postJson(url: string, value: unknown): Promise<Reply> {
  return request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof value === 'string' ? value : JSON.stringify(value) });
}

export const postEntry = (base: string, proposed: unknown) => postJson(`${base}/api/v1/log/entries`, proposed);

/** One LogEntry answer, checked: SET, inclusion proof, signed checkpoint. */
export interface CheckedEntry {
  entryId: string;
  uuid: string;
  body: Uint8Array;
  logIndex: bigint;
  integratedTime: bigint;
  signedEntryTimestamp: Uint8Array;
  treeSize: bigint;
  rootHash: Uint8Array;
  hashes: Uint8Array[];
  checkpoint: string;
  parsedCheckpoint: Checkpoint;
}

/** Checks a `{ "<entryId>": LogEntry }` answer the way a client would; returns its fields. */
export function checkEntryAnswer(answer: Record<string, any>, key: LogKey): CheckedEntry {
  // Plain checks: this runs for every one of thousands of entries.
  const ids = Object.keys(answer);
  ensure(ids.length === 1, `expected one entry, found ${ids.length}`);
  const entryId = ids[0]!;
  const value = answer[entryId];
  ensure(sameKeys(value, ['body', 'integratedTime', 'logID', 'logIndex', 'verification']), `entry fields: ${Object.keys(value)}`);
  ensure(sameKeys(value.verification, ['inclusionProof', 'signedEntryTimestamp']), `verification fields: ${Object.keys(value.verification)}`);
  ensure(sameKeys(value.verification.inclusionProof, ['checkpoint', 'hashes', 'logIndex', 'rootHash', 'treeSize']), 'inclusionProof fields');
  const body = decodeBase64(value.body);
  const uuid = encodeHex(leafHash(body));
  ensure(/^[0-9a-f]{80}$/.test(entryId) && entryId.slice(16) === uuid, `entry ID ${entryId} does not end with the body's leaf hash ${uuid}`);
  ensure(value.logID === encodeHex(key.logId), `logID ${value.logID}`);
  const logIndex = BigInt(value.logIndex);
  const integratedTime = BigInt(value.integratedTime);
  const signedEntryTimestamp = decodeBase64(value.verification.signedEntryTimestamp);
  ensure(verifySignedEntryTimestamp({ body, integratedTime, logIndex, logId: key.logId }, signedEntryTimestamp, key.publicKey), `the SET of entry ${logIndex} does not verify`);
  const proof = value.verification.inclusionProof;
  ensure(proof.logIndex === value.logIndex, 'inclusion proof logIndex');
  const treeSize = BigInt(proof.treeSize);
  const rootHash = decodeHex(proof.rootHash);
  const hashes = (proof.hashes as string[]).map((hash) => decodeHex(hash));
  verifyInclusionProof({ leafHash: leafHash(body), index: logIndex, treeSize, proof: hashes, rootHash });
  const parsedCheckpoint = parseCheckpoint(proof.checkpoint);
  verifyCheckpoint(parsedCheckpoint, { name: key.host, publicKey: key.publicKey, keyId: key.logId });
  ensure(parsedCheckpoint.treeSize === treeSize && bytesEqual(parsedCheckpoint.rootHash, rootHash), 'the checkpoint is not for the proof\'s tree head');
  return { entryId, uuid, body, logIndex, integratedTime, signedEntryTimestamp, treeSize, rootHash, hashes, checkpoint: proof.checkpoint, parsedCheckpoint };
}

function ensure(condition: boolean, message: string): void {
  if (!condition) expect.fail(message);
}

function sameKeys(value: object, keys: string[]): boolean {
  return Object.keys(value).join() === keys.join();
}

export interface TreeHead {
  treeSize: bigint;
  rootHash: Uint8Array;
}

/** Asks the log for the proof that `later` extends `earlier` and checks it. */
export async function checkConsistency(base: string, earlier: TreeHead, later: TreeHead): Promise<void> {
  if (earlier.treeSize === 0n) return;
  const reply = await request(`${base}/api/v1/log/proof?firstSize=${earlier.treeSize}&lastSize=${later.treeSize}`);
  expect(reply.status).toBe(200);
  expect(decodeHex(reply.json.rootHash)).toEqual(later.rootHash);
  verifyConsistencyProof({
    size1: earlier.treeSize,
    size2: later.treeSize,
    root1: earlier.rootHash,
    root2: later.rootHash,
    proof: (reply.json.hashes as string[]).map((hash) => decodeHex(hash)),
  });
}

/** Every entry at `indexes`, fetched ten at a time through /retrieve and checked. */
export async function retrieveByIndex(base: string, indexes: bigint[], key: LogKey): Promise<CheckedEntry[]> {
  const found: CheckedEntry[] = [];
  for (let i = 0; i < indexes.length; i += 10) {
    const reply = await postJson(`${base}/api/v1/log/entries/retrieve`, { logIndexes: indexes.slice(i, i + 10).map(Number) });
    expect(reply.status).toBe(200);
    found.push(...(reply.json as Record<string, any>[]).map((answer) => checkEntryAnswer(answer, key)));
  }
  return found;
}

/** Runs `clients` loops that take the next item until none is left or `stop()` says so. */
export async function runClients<T>(clients: number, items: T[], send: (item: T) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < items.length && !stop()) await send(items[next++]!);
    }),
  );
}

/** The log's key as a client learns it: GET /api/v1/log/publicKey. */
export async function fetchLogKey(base: string, host = 'rekor.local'): Promise<LogKey> {
  const reply = await request(`${base}/api/v1/log/publicKey`);
  expect(reply.status).toBe(200);
  const publicKey = importPublicKeyPem(reply.text);
  return { publicKey, logId: sha256(publicKey.spki), host };
}
