import { readFileSync } from 'node:fs';
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
  }

  fixture(path: string, layout = this.layout): Buffer {
    return readFileSync(join(FIXTURES, layout, path));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
