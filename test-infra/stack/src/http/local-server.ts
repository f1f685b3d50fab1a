import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  url: string;
  hits: number;
  close(): Promise<void>;
}

/** For client tests: a loopback server whose handler sees the request number (0 first) and the request body as text. */
export async function localServer(handler: (res: ServerResponse, body: string, hit: number, req: IncomingMessage) => void): Promise<LocalServer> {
  const state = { hits: 0 };
  const server = createServer(async (req, res) => {
    const hit = state.hits++;
    let body = '';
    for await (const chunk of req) body += String(chunk);
    try {
      handler(res, body, hit, req);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes `value` as JSON, or as given when it is a string (malformed answers for client tests). */
export function sendRawJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof value === 'string' ? value : JSON.stringify(value));
}
