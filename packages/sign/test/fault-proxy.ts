import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback HTTP proxy in front of the local stack that, per service, lets requests through
// or answers them badly: an error status, garbage, nothing at all, or a rewritten answer.

export type Service = 'fulcio' | 'rekor' | 'tsa' | 'other';

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One request as a fault sees it. */
export interface Exchange {
  service: Service;
  method: string;
  path: string;
  body: Buffer;
  /** Which request to this service it is since the last plan (0 first). */
  attempt: number;
  req: IncomingMessage;
  res: ServerResponse;
  /** Sends the request (or `body` in its place) to the stack and returns its answer, unsent. */
  forward(body?: Buffer): Promise<UpstreamAnswer>;
  reply(status: number, headers: Record<string, string>, body: string | Buffer): void;
}

/** What the proxy does with one request. */
export type Fault = (exchange: Exchange) => Promise<void> | void;

export interface Hit {
  service: Service;
  method: string;
  path: string;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface FaultProxy {
  /** Use as Fulcio, Rekor and TSA base URL (the stack serves all three on one origin). */
  url: string;
  /** Every request since the last plan, in order. */
  hits: Hit[];
  count(service: Service): number;
  /** Request n to `service` meets faults[n]; later ones meet `then` (by default, the stack). */
  plan(service: Service, faults: Fault[], then?: Fault): void;
  /** Everything through to the stack again; hits cleared. */
  reset(): void;
  close(): Promise<void>;
}

export function serviceOf(path: string): Service {
  if (path.startsWith('/api/v2/')) return 'fulcio';
  if (path.startsWith('/api/v1/log') || path.startsWith('/rekor-v2/')) return 'rekor';
  if (path.startsWith('/api/v1/timestamp')) return 'tsa';
  return 'other';
}

/** Passes the request to the stack and its answer back unchanged. */
export const passThrough: Fault = async (exchange) => {
  const answer = await exchange.forward();
  exchange.reply(answer.status, answer.headers, answer.body);
};

export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const plans = new Map<Service, { faults: Fault[]; then: Fault; seen: number }>();
  const hits: Hit[] = [];

  const server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    const service = serviceOf(path);
    hits.push({ service, method: req.method ?? 'GET', path, at: performance.now() });
    const plan = plans.get(service);
    const attempt = plan ? plan.seen++ : 0;
    const fault = (plan && (plan.faults[attempt] ?? plan.then)) ?? passThrough;
    try {
      const body = await readAll(req);
      await fault({
        service,
        method: req.method ?? 'GET',
        path,
        body,
        attempt,
        req,
        res,
        forward: (replacement) => forward(upstream, req, replacement ?? body),
        reply: (status, headers, content) => {
          res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(content)) });
          res.end(content);
        },
      });
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    count: (service) => hits.filter((hit) => hit.service === service).length,
    plan(service, faults, then = passThrough) {
      plans.set(service, { faults, then, seen: 0 });
      hits.length = 0;
    },
    reset() {
      plans.clear();
      hits.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

function forward(upstream: URL, req: IncomingMessage, body: Buffer): Promise<UpstreamAnswer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
  }
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, async (answer) => {
      try {
        const answerHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!HOP_BY_HOP.has(name) && typeof value === 'string') answerHeaders[name] = value;
        }
        resolve({ status: answer.statusCode ?? 502, headers: answerHeaders, body: await readAll(answer) });
      } catch (err) {
        reject(err);
      }
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
