import type { Agent } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { displayUrl } from './redact.js';

const agents = new Map<string, Promise<Agent>>();

/**
 * A keep-alive https agent whose connections go through `proxy` with CONNECT (the proxy
 * sees the host and port, never the request), TLS to the server end to end inside the
 * tunnel. Credentials in the proxy URL go as Proxy-Authorization: Basic.
 */
export function tunnelAgent(proxy: URL): Promise<Agent> {
  let agent = agents.get(proxy.href);
  if (agent === undefined) {
    agent = Promise.all([import('node:https'), import('node:http'), import('node:tls')]).then(([https, http, tls]) => {
      const created = new https.Agent({ keepAlive: true });
      const authorization =
        proxy.username === '' ? undefined : `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
      const shown = displayUrl(proxy);
      (created as unknown as { createConnection: unknown }).createConnection = (options: ConnectionOptions & { host: string; port: number }, callback: (err: Error | null, socket?: Socket) => void) => {
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
        connect.once('connect', (answer, socket, head) => {
          if (answer.statusCode !== 200) {
            socket.destroy();
            return callback(new Error(`the proxy ${shown} refused CONNECT ${target} with HTTP ${answer.statusCode}`));
          }
          if (head.length > 0) socket.unshift(head);
          callback(null, tls.connect({ ...options, socket, servername: options.servername ?? options.host }));
        });
        connect.once('error', (err) => callback(new Error(`the proxy ${shown}: ${err.message}`, { cause: err })));
        connect.end();
        return undefined;
      };
      return created as Agent;
    });
    agents.set(proxy.href, agent);
  }
  return agent;
}
