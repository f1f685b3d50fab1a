import { importPublicKeyPem, type PublicKey } from '@sigil/crypto';
import { typeOf, utf8Decode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { HttpClientError, requestBytes, requestJson, serviceBaseUrl, type HttpOptions } from '@sigil/http-client';
import { RekorClientError, invalidInput } from './errors.js';
import { readLogEntries, readOneLogEntry, type RekorLogEntry } from './log-entry.js';
import { readConsistencyProof, readLogInfo, type RekorConsistencyProof, type RekorLogInfo } from './log-info.js';
import { responseInvalid } from './response-reader.js';

export interface RekorClientOptions extends HttpOptions {
  /** The Rekor base URL, e.g. https://rekor.sigstore.dev. */
  url: string;
}

export interface RekorClient {
  /**
   * `POST /api/v1/log/entries`. A 409 (the log already has this canonical body) is not an
   * error: the existing entry is fetched by the UUID its Location names, as sigstore-js does.
   */
  createEntry(proposedEntry: object): Promise<RekorLogEntry>;
  /** `GET /api/v1/log/entries?logIndex=N` (the global index), with a fresh inclusion proof. */
  getEntryByIndex(index: bigint): Promise<RekorLogEntry>;
  /** `GET /api/v1/log/entries/{uuid}`: 64 hex (leaf hash) or 80 hex (tree ID and leaf hash). */
  getEntryByUuid(uuid: string): Promise<RekorLogEntry>;
  /**
   * `POST /api/v1/log/entries/retrieve` with proposed entries: the log's entries with the same
   * canonical bodies, as cosign finds the entry of a detached signature (none is not an error).
   */
  searchEntries(proposedEntries: object[]): Promise<RekorLogEntry[]>;
  /** `GET /api/v1/log`. */
  getLogInfo(): Promise<RekorLogInfo>;
  /** `GET /api/v1/log/publicKey`: the log's key (its SHA-256 SPKI digest is the log ID). */
  getPublicKey(treeId?: bigint): Promise<PublicKey>;
  /** `GET /api/v1/log/proof?firstSize=&lastSize=`. */
  getConsistencyProof(firstSize: bigint, lastSize: bigint, treeId?: bigint): Promise<RekorConsistencyProof>;
}

const ENTRY_ID = /^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$/;
const MAX_INT64 = (1n << 63n) - 1n;
/** Rekor answers at most 10 lookups per retrieve request. */
const MAX_SEARCH = 10;
// A PEM public key is well under a kilobyte.
const MAX_PUBLIC_KEY_BYTES = 64 * 1024;

export function createRekorClient(options: RekorClientOptions): RekorClient {
  const { url, ...http } = options ?? ({} as RekorClientOptions);
  const base = (() => {
    try {
      return serviceBaseUrl(url, 'Rekor');
    } catch (err) {
      return invalidInput(describeError(err));
    }
  })();
  const endpoint = (path: string, query: Record<string, string> = {}) => {
    const target = new URL(path, base);
    for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
    return target;
  };

  const getEntry = async (target: URL, what: string, matches: (entry: RekorLogEntry) => boolean, wanted: string) => {
    const { body } = await call(what, () => requestJson(target, http), true);
    return readOneLogEntry(body, what, matches, wanted);
  };

  const getEntryByUuid = async (uuid: string) => {
    if (typeof uuid !== 'string' || !ENTRY_ID.test(uuid)) invalidInput(`entry UUID: expected 64 or 80 hex digits, found ${typeof uuid === 'string' ? JSON.stringify(uuid.slice(0, 100)) : typeOf(uuid)}`);
    const id = uuid.toLowerCase();
    const matches = (entry: RekorLogEntry) => (id.length === 80 ? entry.uuid === id : entry.uuid.endsWith(id));
    return getEntry(endpoint(`api/v1/log/entries/${id}`), 'entry', matches, `entry ${id}`);
  };

  return {
    async createEntry(proposedEntry) {
      if (typeof proposedEntry !== 'object' || proposedEntry === null || Array.isArray(proposedEntry)) {
        invalidInput(`proposed entry: expected an object (see hashedRekordProposal, dsseProposal), found ${typeOf(proposedEntry)}`);
      }
      const response = await call('createEntry', () => requestJson(endpoint('api/v1/log/entries'), { ...http, body: proposedEntry, expectStatus: [201, 409] }));
      if (response.status === 409) return getEntryByUuid(existingUuid(response.headers.get('location')));
      return readOneLogEntry(response.body, 'createEntry', () => true, 'the new entry');
    },

    async getEntryByIndex(index) {
      const logIndex = checkIndex(index, 'logIndex');
      const wanted = `the entry at index ${logIndex}`;
      return getEntry(endpoint('api/v1/log/entries', { logIndex: String(logIndex) }), 'entry', (entry) => entry.logIndex === logIndex, wanted);
    },

    getEntryByUuid,

    async searchEntries(proposedEntries) {
      if (!Array.isArray(proposedEntries) || proposedEntries.length === 0 || proposedEntries.length > MAX_SEARCH) {
        invalidInput(`search: expected 1 to ${MAX_SEARCH} proposed entries, found ${Array.isArray(proposedEntries) ? proposedEntries.length : typeOf(proposedEntries)}`);
      }
      const { body } = await call('search', () => requestJson(endpoint('api/v1/log/entries/retrieve'), { ...http, body: { entries: proposedEntries } }));
      if (!Array.isArray(body) || body.length > MAX_SEARCH) throw responseInvalid(`Rekor search: expected an array of at most ${MAX_SEARCH} entry maps, found ${typeOf(body)}`);
      return body.flatMap((found, i) => readLogEntries(found, `search result ${i}`));
    },

    async getLogInfo() {
      const { body } = await call('log info', () => requestJson(endpoint('api/v1/log'), http));
      return readLogInfo(body);
    },

    async getPublicKey(treeId) {
      const query: Record<string, string> = treeId === undefined ? {} : { treeID: String(checkIndex(treeId, 'treeID')) };
      const maxResponseBytes = Math.min(http.maxResponseBytes ?? MAX_PUBLIC_KEY_BYTES, MAX_PUBLIC_KEY_BYTES);
      const { body } = await call('public key', () => requestBytes(endpoint('api/v1/log/publicKey', query), { ...http, maxResponseBytes, accept: 'application/x-pem-file' }));
      try {
        return importPublicKeyPem(utf8Decode(body, 'log public key'), 'log public key');
      } catch (err) {
        throw responseInvalid(`Rekor public key: expected a PEM public key (${describeError(err)})`, {}, err);
      }
    },

    async getConsistencyProof(firstSize, lastSize, treeId) {
      const first = checkIndex(firstSize, 'firstSize');
      const last = checkIndex(lastSize, 'lastSize');
      if (first < 1n || first > last) invalidInput(`consistency proof: expected 1 <= firstSize <= lastSize, found ${first} and ${last}`);
      const query = { firstSize: String(first), lastSize: String(last), ...(treeId === undefined ? {} : { treeID: String(checkIndex(treeId, 'treeID')) }) };
      const { body } = await call('consistency proof', () => requestJson(endpoint('api/v1/log/proof', query), http));
      return readConsistencyProof(body);
    },
  };
}

/** Runs a request, turning its HttpClientError into a RekorClientError. */
async function call<T>(what: string, send: () => Promise<T>, notFoundIsEntry = false): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof HttpClientError)) throw new RekorClientError('REKOR_CLIENT_HTTP', `Rekor ${what}: the request failed (${describeError(err)})`, { cause: err });
    if (err.code === 'HTTP_REQUEST_INVALID') throw new RekorClientError('REKOR_CLIENT_INPUT_INVALID', `Rekor ${what}: ${err.message}`, { cause: err });
    const details = { httpCode: err.code, ...(err.status === undefined ? {} : { status: err.status }), ...(err.serverMessage ? { serverMessage: err.serverMessage } : {}) };
    if (notFoundIsEntry && err.status === 404) {
      throw new RekorClientError('REKOR_CLIENT_ENTRY_NOT_FOUND', `Rekor ${what}: the log has no such entry (${err.message})`, { cause: err, details });
    }
    throw new RekorClientError('REKOR_CLIENT_HTTP', `Rekor ${what}: ${err.message}`, { cause: err, details, hint: err.hint });
  }
}

/** The UUID a 409's Location names (`/api/v1/log/entries/<uuid>`): the existing entry is fetched by it, from the same log. */
function existingUuid(location: string | null): string {
  const uuid = location?.split('?')[0]!.split('/').pop() ?? '';
  if (!ENTRY_ID.test(uuid)) {
    throw responseInvalid(`Rekor createEntry: expected a 409 with a Location naming the existing entry, found ${location === null ? 'none' : JSON.stringify(location.slice(0, 200))}`);
  }
  return uuid;
}

function checkIndex(value: unknown, what: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_INT64) invalidInput(`${what}: expected a bigint from 0 to 2^63-1, found ${typeOf(value)}`);
  return value;
}
