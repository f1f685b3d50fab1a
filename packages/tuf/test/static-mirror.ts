import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export const FIXTURES = new URL('./fixtures/root-signing/', import.meta.url).pathname;
/** The two layouts (see fixtures/root-signing/SOURCE.md): September 2025 and August 2026. */
export const OLD = '2025-09';
export const NEW = '2026-08';

/**
 * A static TUF mirror on loopback serving one fixture layout as the CDN does (404 for what it
 * lacks). `serve` switches the layout, `replace` overrides one path's bytes, `stop` closes it.
 */
export class StaticMirror {
  layout = NEW;
  readonly overrides = new Map<string, Uint8Array>();
  /** Paths that are never answered (a mirror that hangs mid-refresh). */
  readonly stalled = new Set<string>();
  requests: string[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<StaticMirror> {
    let mirror!: StaticMirror;
    const server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
      mirror.requests.push(path);
      if (mirror.stalled.has(path)) return;
      const override = mirror.overrides.get(path);
      let body: Uint8Array | undefined = override;
      if (!body && !normalize(path).startsWith('..')) {
        try {
          body = readFileSync(join(FIXTURES, mirror.layout, path));
        } catch {
          body = undefined;
        }
      }
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mirror = new StaticMirror(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return mirror;
  }

  serve(layout: string): void {
    this.layout = layout;
    this.overrides.clear();
    this.stalled.clear();
  }

  fixture(path: string, layout = this.layout): Buffer {
    return readFileSync(join(FIXTURES, layout, path));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The real metadata of each layout is valid at these times (timestamps last a week). */
export const OLD_TIME = new Date('2025-09-23T00:00:00Z');
export const NEW_TIME = new Date('2026-08-22T00:00:00Z');
export const ROOT_V5 = readFileSync(join(FIXTURES, NEW, '5.root.json'));

/**
 * Per test: a fresh cache root (`env.cacheRoot`) and a faked Date (at `time` when given);
 * with `mirror`, one StaticMirror (`env.mirror`) for the whole file.
 */
export function tufTestEnv(options: { mirror?: boolean; time?: Date } = {}): { cacheRoot: string; mirror: StaticMirror } {
  const env = {} as { cacheRoot: string; mirror: StaticMirror };
  if (options.mirror) {
    beforeAll(async () => {
      env.mirror = await StaticMirror.start();
    });
    afterAll(() => env.mirror.stop());
  }
  beforeEach(() => {
    env.cacheRoot = mkdtempSync(join(tmpdir(), 'sigil-tuf-'));
    vi.useFakeTimers({ toFake: ['Date'] });
    if (options.time) vi.setSystemTime(options.time);
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(env.cacheRoot, { recursive: true, force: true });
  });
  return env;
}
