// A Rekor v2 (rekor-tiles) client: the write API (POST /api/v2/log/entries, answered with a
// TransparencyLogEntry) and the C2SP tlog-tiles read API (checkpoint, hash tiles, entry bundles)
// that any static server may carry. What the read API returns is unverified: tile-proofs.ts
// checks it against a checkpoint the caller verified.
import { typeOf, utf8Decode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { HttpClientError, requestBytes, requestJson, serviceBaseUrl, type HttpOptions } from '@sigil/http-client';
import { encodeTileIndex } from '../tile-index.js';
import { RekorClientError, invalidInput } from './errors.js';
import { responseInvalid } from './response-reader.js';
import { readTransparencyLogEntryJson } from './transparency-log-entry-json.js';
import type { TransparencyLogEntry } from './transparency-log-entry.js';

export interface RekorV2ClientOptions extends HttpOptions {
  /** The log's base URL, e.g. https://log2025-1.rekor.sigstore.dev. */
  url: string;
}

export interface RekorV2Client {
  readonly url: string;
  /** `POST /api/v2/log/entries`; a 409 (already logged) is REKOR_CLIENT_ENTRY_EXISTS with `details.logIndex`. */
  createEntry(request: object): Promise<TransparencyLogEntry>;
  /** `GET /api/v2/checkpoint`: the signed note text, unverified. */
  getCheckpoint(): Promise<string>;
  /** A hash tile's first `width` hashes (32 bytes each); a partial tile gone is read from the full one. */
  getTile(level: number, index: number, width: number): Promise<Uint8Array>;
  /** An entry bundle's first `width` entries. */
  getEntryBundle(index: number, width: number): Promise<Uint8Array[]>;
}

const TILE_WIDTH = 256;
/** rekor-tiles answers once the batch holding the entry is integrated: seconds, not milliseconds. */
const MIN_WRITE_TIMEOUT_MS = 20_000;
const MAX_CHECKPOINT_BYTES = 64 * 1024;
const MAX_BUNDLE_BYTES = TILE_WIDTH * (0xffff + 2);

export function createRekorV2Client(options: RekorV2ClientOptions): RekorV2Client {
  const { url, ...http } = options ?? ({} as RekorV2ClientOptions);
  let base: URL;
  try {
    base = serviceBaseUrl(url, 'Rekor v2');
  } catch (err) {
    invalidInput(describeError(err));
  }
  // A base with a path (https://host/prefix) keeps it: endpoints are resolved below it.
  const root = base.href.endsWith('/') ? base.href : `${base.href}/`;
  const endpoint = (path: string) => new URL(path, root);

  const readTile = async (path: string, width: number, maxBytes: number): Promise<Uint8Array> => {
    const partial = width < TILE_WIDTH ? `.p/${width}` : '';
    try {
      return (await call(`tile ${path}${partial}`, () => requestBytes(endpoint(`api/v2/tile/${path}${partial}`), { ...http, maxResponseBytes: maxBytes, accept: ['application/octet-stream', '*/*'] }))).body;
    } catch (err) {
      // tlog-tiles: a partial tile may be gone once the full tile exists; its prefix is the same.
      if (partial && err instanceof RekorClientError && err.details?.status === 404) {
        return (await call(`tile ${path}`, () => requestBytes(endpoint(`api/v2/tile/${path}`), { ...http, maxResponseBytes: maxBytes, accept: ['application/octet-stream', '*/*'] }))).body;
      }
      throw err;
    }
  };

  return {
    url: base.href.replace(/\/$/, ''),
    async createEntry(request) {
      if (typeof request !== 'object' || request === null || Array.isArray(request)) invalidInput(`create entry request: expected an object, found ${typeOf(request)}`);
      const timeoutMs = Math.max(http.timeoutMs ?? 0, MIN_WRITE_TIMEOUT_MS);
      const response = await call('createEntry', () => requestJson(endpoint('api/v2/log/entries'), { ...http, timeoutMs, body: request, expectStatus: [201, 200] }));
      return readTransparencyLogEntryJson(response.body, 'createEntry');
    },
    async getCheckpoint() {
      const { body } = await call('checkpoint', () => requestBytes(endpoint('api/v2/checkpoint'), { ...http, maxResponseBytes: MAX_CHECKPOINT_BYTES, accept: ['text/plain', '*/*'] }));
      try {
        return utf8Decode(body, 'checkpoint');
      } catch (err) {
        throw responseInvalid(`Rekor v2 checkpoint: expected UTF-8 text (${describeError(err)})`, {}, err);
      }
    },
    async getTile(level, index, width) {
      checkTile(level, index, width);
      const bytes = await readTile(`${level}/${encodeTileIndex(index)}`, width, TILE_WIDTH * 32);
      if (bytes.length < width * 32) throw responseInvalid(`Rekor v2 tile ${level}/${index}: expected at least ${width} hashes, found ${bytes.length} bytes`);
      return bytes.subarray(0, width * 32);
    },
    async getEntryBundle(index, width) {
      checkTile(0, index, width);
      const bytes = await readTile(`entries/${encodeTileIndex(index)}`, width, MAX_BUNDLE_BYTES);
      const entries: Uint8Array[] = [];
      let at = 0;
      while (entries.length < width) {
        if (at + 2 > bytes.length) throw responseInvalid(`Rekor v2 entry bundle ${index}: expected ${width} entries, found ${entries.length}`);
        const length = (bytes[at]! << 8) | bytes[at + 1]!;
        if (at + 2 + length > bytes.length) throw responseInvalid(`Rekor v2 entry bundle ${index}: entry ${entries.length} runs past the end`);
        entries.push(bytes.subarray(at + 2, at + 2 + length));
        at += 2 + length;
      }
      return entries;
    },
  };
}

function checkTile(level: number, index: number, width: number): void {
  if (!Number.isSafeInteger(level) || level < 0 || level > 63 || !Number.isSafeInteger(index) || index < 0 || !Number.isSafeInteger(width) || width < 1 || width > TILE_WIDTH) {
    invalidInput(`tile: expected level 0-63, a non-negative index and width 1-${TILE_WIDTH}, found ${level}, ${index}, ${width}`);
  }
}

async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof HttpClientError)) throw new RekorClientError('REKOR_CLIENT_HTTP', `Rekor v2 ${what}: the request failed (${describeError(err)})`, { cause: err });
    if (err.code === 'HTTP_REQUEST_INVALID') throw new RekorClientError('REKOR_CLIENT_INPUT_INVALID', `Rekor v2 ${what}: ${err.message}`, { cause: err });
    const details = { httpCode: err.code, ...(err.status === undefined ? {} : { status: err.status }), ...(err.serverMessage ? { serverMessage: err.serverMessage } : {}) };
    if (err.status === 409) {
      const index = /index (\d+)/.exec(err.serverMessage ?? '')?.[1];
      throw new RekorClientError('REKOR_CLIENT_ENTRY_EXISTS', `Rekor v2 ${what}: the log already holds this entry${index ? ` at index ${index}` : ''}`, { cause: err, details: { ...details, ...(index ? { logIndex: index } : {}) } });
    }
    throw new RekorClientError('REKOR_CLIENT_HTTP', `Rekor v2 ${what}: ${err.message}`, { cause: err, details, hint: err.hint });
  }
}
