// Rekor v1's HTTP API over a LogStore (PROTOCOLS.md section 3.1).
import type { IncomingMessage } from 'node:http';
import { derToPem } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { entryUuid } from '@sigil/rekor';
import { readJson, sendBytes, type Route } from '../http/index.js';
import { refusal, withBodyReason } from './reasons.js';
import { RekorServiceError } from './errors.js';
import type { AddOutcome, LogStore } from './log-store.js';
import { consistencyProofJson, logEntryJson, logInfoJson, sendRekorJson } from './responses.js';
import { arrayField, objectField } from './request-fields.js';

export interface RekorRouteContext {
  store: LogStore;
  treeId: bigint;
  logId: Uint8Array;
  logSpki: Uint8Array;
  bodyLimit: number;
  /** Checks a proposed entry, signatures included; its canonical body, or a 4xx refusal. */
  prepareEntry(proposed: unknown): Promise<Uint8Array>;
}

const ENTRIES_PATH = '/api/v1/log/entries';
/** Rekor answers at most this many lookups per retrieve request. */
const MAX_SEARCH_QUERIES = 10;
const MAX_INT63 = (1n << 63n) - 1n;

export function rekorRoutes(context: RekorRouteContext): Route[] {
  const { store, treeId, logId } = context;
  const treeIdHex = treeId.toString(16).padStart(16, '0');
  const publicKeyPem = derToPem(context.logSpki, 'PUBLIC KEY');

  const answer = (logIndex: number, entry = store.entry(logIndex)) => {
    const head = store.treeHead();
    return logEntryJson({ entry, entryId: treeIdHex + entry.uuid, logId, head, proof: store.inclusionProof(logIndex, head.treeSize) });
  };

  /** The index of a 64-hex UUID or 80-hex entry ID; undefined when the log has no such entry. */
  const lookup = (id: string): number | undefined => {
    if (!/^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$/.test(id)) {
      throw refusal('REKOR_QUERY_INVALID', `entry UUID: expected 64 hex digits (or 80 with the tree ID), found "${id.slice(0, 100)}"`);
    }
    const key = id.toLowerCase();
    if (key.length === 80 && !key.startsWith(treeIdHex)) return undefined;
    return store.indexOf(key.slice(-64));
  };

  const checkTreeId = (url: URL) => {
    const given = url.searchParams.get('treeID');
    if (given !== null && given !== '' && given !== treeId.toString()) throw refusal('REKOR_QUERY_INVALID', `treeID: expected ${treeId}, found "${given.slice(0, 40)}"`);
  };

  return [
    {
      method: 'POST',
      path: /^\/api\/v1\/log\/entries$/,
      async handle({ req, res }) {
        const body = await context.prepareEntry(await readBody(req, context.bodyLimit));
        const added = await addEntry(store, body);
        if (added.outcome === 'duplicate') {
          const entryId = treeIdHex + added.uuid;
          throw refusal('REKOR_ENTRY_EXISTS', `an equivalent entry already exists in the transparency log with UUID ${entryId}`, { location: `${ENTRIES_PATH}/${entryId}` });
        }
        const { entry } = added;
        const entryId = treeIdHex + entry.uuid;
        sendRekorJson(res, 201, answer(Number(entry.logIndex), entry), { etag: entryId, location: `${ENTRIES_PATH}/${entryId}` });
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v1\/log\/entries$/,
      handle({ url, res }) {
        const logIndex = integerParam(url, 'logIndex', 0n);
        if (logIndex === undefined) throw refusal('REKOR_QUERY_INVALID', 'logIndex: expected a query parameter, found none');
        if (logIndex >= BigInt(store.size)) throw refusal('REKOR_ENTRY_NOT_FOUND', `logIndex: expected an index below the tree size ${store.size}, found ${logIndex}`);
        sendRekorJson(res, 200, answer(Number(logIndex)));
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v1\/log\/entries\/(?<id>[^/]+)$/,
      handle({ params, res }) {
        const logIndex = lookup(params.id!);
        if (logIndex === undefined) throw refusal('REKOR_ENTRY_NOT_FOUND', `entry UUID: no entry ${params.id} in this log`);
        sendRekorJson(res, 200, answer(logIndex));
      },
    },
    {
      method: 'POST',
      path: /^\/api\/v1\/log\/entries\/retrieve$/,
      async handle({ req, res }) {
        const query = objectField(await readBody(req, context.bodyLimit), 'search query', 'REKOR_QUERY_INVALID');
        const uuids = query.entryUUIDs === undefined ? [] : arrayField(query.entryUUIDs, 'entryUUIDs', Infinity, 'REKOR_QUERY_INVALID');
        const indexes = query.logIndexes === undefined ? [] : arrayField(query.logIndexes, 'logIndexes', Infinity, 'REKOR_QUERY_INVALID');
        const proposed = query.entries === undefined ? [] : arrayField(query.entries, 'entries', Infinity, 'REKOR_QUERY_INVALID');
        const total = uuids.length + indexes.length + proposed.length;
        if (total === 0) throw refusal('REKOR_QUERY_INVALID', 'search query: expected entryUUIDs, logIndexes or entries, found none');
        if (total > MAX_SEARCH_QUERIES) throw refusal('REKOR_QUERY_TOO_LARGE', `search query: expected at most ${MAX_SEARCH_QUERIES} lookups, found ${total}`);
        const found: number[] = [];
        // Rekor's order: UUIDs, then proposed entries, then indexes; what the log lacks is left out.
        for (const [i, uuid] of uuids.entries()) {
          if (typeof uuid !== 'string') throw refusal('REKOR_QUERY_INVALID', `entryUUIDs[${i}]: expected a hex string`);
          const index = lookup(uuid);
          if (index !== undefined) found.push(index);
        }
        for (const entry of proposed) {
          const index = store.indexOf(entryUuid(await context.prepareEntry(entry)));
          if (index !== undefined) found.push(index);
        }
        for (const [i, value] of indexes.entries()) {
          if (!Number.isSafeInteger(value) || (value as number) < 0) throw refusal('REKOR_QUERY_INVALID', `logIndexes[${i}]: expected a non-negative integer`);
          if ((value as number) < store.size) found.push(value as number);
        }
        sendRekorJson(res, 200, found.map((index) => answer(index)));
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v1\/log$/,
      handle({ res }) {
        sendRekorJson(res, 200, logInfoJson(store.treeHead(), treeId));
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v1\/log\/publicKey$/,
      handle({ url, res }) {
        checkTreeId(url);
        sendBytes(res, 200, 'application/x-pem-file', publicKeyPem);
      },
    },
    {
      method: 'GET',
      path: /^\/api\/v1\/log\/proof$/,
      handle({ url, res }) {
        checkTreeId(url);
        const firstSize = integerParam(url, 'firstSize', 1n) ?? 1n;
        const lastSize = integerParam(url, 'lastSize', 1n);
        if (lastSize === undefined) throw refusal('REKOR_QUERY_INVALID', 'lastSize: expected a query parameter, found none');
        if (firstSize > lastSize) throw refusal('REKOR_QUERY_INVALID', `firstSize(${firstSize}) must be less than lastSize(${lastSize})`);
        const size = BigInt(store.size);
        if (lastSize > size) throw refusal('REKOR_QUERY_INVALID', `the tree size requested(${lastSize}) was greater than what is currently observable(${size})`);
        sendRekorJson(res, 200, consistencyProofJson(store.rootHash(lastSize), store.consistencyProof(firstSize, lastSize)));
      },
    },
  ];
}

/** The JSON body, its refusals (not JSON, too large, wrong type) given this service's reasons. */
export async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  try {
    return await readJson(req, limit);
  } catch (err) {
    throw withBodyReason(err);
  }
}

/** Logs an entry; a log that cannot store it is the log's fault (503), not the request's. */
async function addEntry(store: LogStore, body: Uint8Array): Promise<AddOutcome> {
  const integratedTime = BigInt(Math.floor(Date.now() / 1000));
  try {
    return await store.add(body, integratedTime);
  } catch (err) {
    if (err instanceof RekorServiceError) throw refusal('REKOR_LOG_UNAVAILABLE', `log: not accepting entries (${describeError(err)})`);
    throw err;
  }
}

/** A decimal query parameter from `min` to 2^63-1; undefined when absent. */
function integerParam(url: URL, name: string, min: bigint): bigint | undefined {
  const text = url.searchParams.get(name);
  if (text === null) return undefined;
  if (!/^[0-9]{1,19}$/.test(text) || BigInt(text) < min || BigInt(text) > MAX_INT63) {
    throw refusal('REKOR_QUERY_INVALID', `${name}: expected an integer from ${min} to 2^63-1, found "${text.slice(0, 40)}"`);
  }
  return BigInt(text);
}
