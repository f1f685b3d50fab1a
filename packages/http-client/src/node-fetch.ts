import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { FetchFunction } from './options.js';
import { proxyFor } from './proxy-from-env.js';
import { TUNNEL_SIGNAL, tunnelAgent } from './proxy-tunnel.js';

// The default transport: node:http(s) with keep-alive connections, answering with a WHATWG
// Response. Node 20's global fetch costs two to three times the CPU per request (measured
// 1.2-1.9 ms against 0.55-0.75 ms on loopback), and a keyless sign makes three requests.
// Only what this package sends is supported: a string or bytes body, no redirects followed.
// Idle keep-alive sockets are unreferenced by the agents, so they never keep a process alive.
// node:http and node:https are loaded on the first request: loading TLS costs a CLI that
// only verifies some 15 ms at every start.
interface Transport {
  agent: Agent;
  request(url: URL, options: RequestOptions, onResponse: (response: IncomingMessage) => void): ClientRequest;
  toWeb(response: IncomingMessage): ReadableStream<Uint8Array>;
}

/** TLS settings for https connections (a private CA, a client certificate, another server name, or none checked). */
export interface TlsOptions {
  /** PEM CA certificates trusted instead of Node's defaults. */
  ca?: string;
  /** PEM client certificate and key, for servers that ask for one. */
  cert?: string;
  key?: string;
  /** The name the server's certificate must carry, when not the URL's host. */
  servername?: string;
  /** false: the server's certificate is not checked at all. */
  rejectUnauthorized?: boolean;
}

/** A fetch over node:http(s) with keep-alive; https connections use `tls` when given. */
export function createNodeFetch(tls: TlsOptions = {}): FetchFunction {
  const transportFor = cachedBy((protocol: string): Promise<Transport> => {
    const https = protocol === 'https:';
    return Promise.all([https ? import('node:https') : import('node:http'), import('node:stream')]).then(([module, { Readable }]) => ({
      agent: new module.Agent({ keepAlive: true, ...(https ? tls : {}) }),
      request: module.request,
      toWeb: (response) => Readable.toWeb(response) as ReadableStream<Uint8Array>,
    }));
  });
  // Tunnels are this fetch's own: one with other TLS settings (another CA) never shares them.
  const tunnelFor = cachedBy((proxy: string) => tunnelAgent(new URL(proxy), tls));
  return (input, init) => fetchWith({ transportFor, tunnelFor }, input, init);
}

function cachedBy<T>(create: (key: string) => T): (key: string) => T {
  const made = new Map<string, T>();
  return (key) => {
    if (!made.has(key)) made.set(key, create(key));
    return made.get(key)!;
  };
}

export const nodeFetch: FetchFunction = createNodeFetch();

interface Connections {
  transportFor(protocol: string): Promise<Transport>;
  tunnelFor(proxy: string): Promise<Agent>;
}

async function fetchWith({ transportFor, tunnelFor }: Connections, input: Parameters<FetchFunction>[0], init: Parameters<FetchFunction>[1] = {}): Promise<Response> {
  const url = new URL(input instanceof URL ? input.href : input);
  const { agent: direct, request: send, toWeb } = await transportFor(url.protocol);
  // Behind a proxy (HTTPS_PROXY, NO_PROXY), https goes through a CONNECT tunnel. Plain http
  // only ever reaches loopback hosts here, which are never proxied (as in Go).
  const proxy = url.protocol === 'https:' ? proxyFor(url) : undefined;
  const agent = proxy ? await tunnelFor(proxy.href) : direct;
  return new Promise<Response>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const body = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : Buffer.from(init.body as Uint8Array);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    headers.accept ??= '*/*'; // as fetch sends it
    // Bodies are read as they come: ask for no content coding (below, any other is refused).
    headers['accept-encoding'] = 'identity';
    if (body) headers['content-length'] = String(body.length);
    let answer: IncomingMessage | undefined;
    const abort = () => {
      const reason = signal?.reason ?? new Error('aborted');
      request.destroy(reason);
      answer?.destroy(reason);
      reject(reason);
    };
    const options: RequestOptions & { [TUNNEL_SIGNAL]?: AbortSignal } = { method: init.method ?? 'GET', headers, agent, ...(proxy && signal ? { [TUNNEL_SIGNAL]: signal } : {}) };
    const request = send(url, options, (response) => {
      answer = response;
      response.on('error', () => undefined); // surfaced through the body stream, or moot
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 599) {
        response.destroy();
        return reject(new Error(`HTTP status ${status} is not a final answer`));
      }
      const coding = response.headers['content-encoding'];
      if (coding !== undefined && coding.toLowerCase() !== 'identity') {
        response.destroy();
        return reject(new Error(`a ${coding}-encoded body, though none was asked for`));
      }
      const responseHeaders = new Headers();
      for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) responseHeaders.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
      // A Response must have no body for these statuses (and a HEAD answer has none to read).
      const bodiless = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
      if (bodiless) response.resume();
      const stream = bodiless ? null : toWeb(response);
      const result = new Response(stream, { status, headers: responseHeaders });
      Object.defineProperty(result, 'url', { value: url.href });
      signal?.removeEventListener('abort', abort);
      if (signal) signal.addEventListener('abort', () => response.destroy(signal.reason), { once: true });
      resolve(result);
    });
    signal?.addEventListener('abort', abort, { once: true });
    // A 101 (switching protocols) is no answer this client can read: refuse it, don't wait.
    request.on('upgrade', (_response, socket) => {
      socket.destroy();
      reject(new Error('HTTP status 101 is not a final answer'));
    });
    request.on('error', (err) => {
      signal?.removeEventListener('abort', abort);
      reject(err);
    });
    request.end(body);
  });
}
