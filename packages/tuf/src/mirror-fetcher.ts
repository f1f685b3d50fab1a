// tuf-js's own fetcher (make-fetch-happen) follows any redirect, speaks plain http to any host
// and reads proxies its own way. This one goes through @sigil/http-client like the rest of
// Sigil: https, or http to loopback only, on every hop; HTTPS_PROXY/NO_PROXY as Go reads them;
// a timeout over headers and body; bodies bounded by the length tuf-js allows.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayUrl, HttpClientError, requestRaw, requireSecureTransport } from '@sigil/http-client';
import type { Fetcher } from 'tuf-js';
import { checkMetadataShape } from './metadata-json.js';

const MAX_REDIRECTS = 5;

export interface MirrorFetcherOptions {
  timeoutMs: number;
  retries: number;
  /** tuf-js's DownloadHTTPError: a 404 or 403 for the next root ends its root walk. */
  httpError: new (message: string, statusCode: number) => Error;
}

export class MirrorFetcher implements Fetcher {
  /** Every `N.root.json` the client downloaded, by version: the chain it walked. */
  readonly roots = new Map<number, Uint8Array>();
  /** The last failure of ours, so a refusal tuf-js re-wraps as text can still be classified. */
  failure: HttpClientError | undefined;

  constructor(private readonly options: MirrorFetcherOptions) {}

  /** tuf-js downloads metadata through this, and parses it as it comes: its shape is checked first. */
  async downloadBytes(url: string, maxLength: number): Promise<Buffer> {
    const body = await this.get(url, maxLength);
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const fileName = new URL(url).pathname.split('/').pop() ?? '';
    checkMetadataShape(bytes.toString('utf8'), fileName);
    const root = /^(\d+)\.root\.json$/.exec(fileName);
    if (root) this.roots.set(Number(root[1]), body);
    return bytes;
  }

  async downloadFile<T>(url: string, maxLength: number, handler: (file: string) => Promise<T>): Promise<T> {
    const body = await this.get(url, maxLength);
    const dir = mkdtempSync(join(tmpdir(), 'sigil-tuf-'));
    try {
      const file = join(dir, 'download');
      writeFileSync(file, body, { mode: 0o600 });
      return await handler(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private async get(url: string, maxLength: number): Promise<Uint8Array> {
    try {
      let current = new URL(url);
      for (let hop = 0; ; hop++) {
        requireSecureTransport(current, 'TUF mirror');
        const response = await requestRaw(current, {
          timeoutMs: this.options.timeoutMs,
          retries: this.options.retries,
          maxResponseBytes: maxLength,
          headers: { 'user-agent': 'sigil' },
        });
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location) {
          if (hop === MAX_REDIRECTS) {
            throw new HttpClientError('HTTP_STATUS', `GET ${displayUrl(new URL(url))}: more than ${MAX_REDIRECTS} redirects`, { status: response.status, details: { url: displayUrl(new URL(url)) } });
          }
          current = new URL(location, current);
          continue;
        }
        if (response.status < 200 || response.status >= 300) throw new this.options.httpError(`GET ${displayUrl(current)}: HTTP status ${response.status}`, response.status);
        return response.body ?? new Uint8Array(0);
      }
    } catch (err) {
      if (err instanceof HttpClientError) this.failure = err;
      throw err;
    }
  }
}
