import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface LocalServer {
  url: string;
  /** Requests (or, for a raw server, connections) seen so far. */
  hits: number;
  close(): Promise<void>;
}

/** A loopback server whose handler sees the request number (0 first), for scripted misbehaviour. */
export function localServer(handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void | Promise<void>): Promise<LocalServer> {
  const state = { hits: 0 };
  const server = createServer((req, res) => {
    const hit = state.hits++;
    void Promise.resolve(handler(req, res, hit)).catch(() => res.destroy());
  });
  return listen(server, state);
}

/** A TCP server that answers every request with `script`: for answers node:http would refuse to write. */
export function rawServer(script: (socket: Socket) => void): Promise<LocalServer> {
  const state = { hits: 0 };
  const server = createNetServer((socket) => {
    state.hits++;
    socket.once('data', () => script(socket));
  });
  return listen(server, state);
}

async function listen(server: Server, state: { hits: number }): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes `total` bytes in 64 KiB chunks, waiting for the socket to drain; resolves with what went out before the client left. */
export function streamBytes(res: ServerResponse, total: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  return new Promise((resolve) => {
    res.on('close', () => resolve(sent));
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
}
