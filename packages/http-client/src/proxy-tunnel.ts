import type { Agent } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { TlsOptions } from './node-fetch.js';
import { displayUrl } from './redact.js';

/**
 * The request option that carries the attempt's abort signal to createConnection (node:http
 * passes unknown request options through the agent; `signal` itself it keeps): a CONNECT
 * still waiting when the attempt is aborted (its timeout, the command's deadline) is destroyed,
 * or a proxy that never answers would keep the process alive.
 */
export const TUNNEL_SIGNAL = 'sigilTunnelSignal';

// A proxy silent this long on the CONNECT socket is given up on, whatever the caller's signal.
const CONNECT_IDLE_MS = 30_000;

/**
 * A keep-alive https agent whose connections go through `proxy` with CONNECT (the proxy
 * sees the host and port, never the request), TLS to the server end to end inside the
 * tunnel, checked with `tlsOptions` (a private CA, a client certificate: the same as without
 * a proxy). Credentials in the proxy URL go as Proxy-Authorization: Basic.
 */
export function tunnelAgent(proxy: URL, tlsOptions: TlsOptions): Promise<Agent> {
  return Promise.all([import('node:https'), import('node:http'), import('node:tls')]).then(([https, http, tls]) => {
    const created = new https.Agent({ keepAlive: true, ...tlsOptions });
    const authorization =
      proxy.username === '' ? undefined : `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
    const shown = displayUrl(proxy);
    (created as unknown as { createConnection: unknown }).createConnection = (
      options: ConnectionOptions & { host: string; port: number; [TUNNEL_SIGNAL]?: AbortSignal },
      callback: (err: Error | null, socket?: Socket) => void,
    ) => {
      const { [TUNNEL_SIGNAL]: signal, ...connectOptions } = options;
      const target = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
      const send = proxy.protocol === 'https:' ? https.request : http.request;
      const connect = send({
        host: proxy.hostname.replace(/^\[|\]$/g, ''),
        port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
        method: 'CONNECT',
        path: target,
        headers: { host: target, ...(authorization ? { 'proxy-authorization': authorization } : {}) },
        agent: false,
      });
      let settled = false;
      const settle = (err: Error | null, socket?: Socket) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', abort);
        callback(err, socket);
      };
      // Aborted, timed out or closed before the proxy answered: the CONNECT goes, its socket with it.
      const abort = () => {
        connect.destroy();
        settle(new Error(`the proxy ${shown}: CONNECT ${target} abandoned (${describeReason(signal?.reason)})`, { cause: signal?.reason }));
      };
      connect.setTimeout(CONNECT_IDLE_MS, () => {
        connect.destroy();
        settle(new Error(`the proxy ${shown}: no answer to CONNECT ${target} within ${CONNECT_IDLE_MS} ms`));
      });
      connect.once('close', () => settle(new Error(`the proxy ${shown} closed the connection before answering CONNECT ${target}`)));
      connect.once('connect', (answer, socket, head) => {
        connect.setTimeout(0);
        if (answer.statusCode !== 200 || settled) {
          socket.destroy();
          return settle(new Error(`the proxy ${shown} refused CONNECT ${target} with HTTP ${answer.statusCode}`));
        }
        if (head.length > 0) socket.unshift(head);
        settle(null, tls.connect({ ...connectOptions, socket, servername: options.servername ?? options.host }));
      });
      connect.once('error', (err) => settle(new Error(`the proxy ${shown}: ${err.message}`, { cause: err })));
      if (signal?.aborted) abort();
      else signal?.addEventListener('abort', abort, { once: true });
      connect.end();
      return undefined;
    };
    return created as Agent;
  });
}

function describeReason(reason: unknown): string {
  return reason instanceof Error ? reason.message : 'the request was aborted';
}
