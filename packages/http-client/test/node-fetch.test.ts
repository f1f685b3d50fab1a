import { describe, expect, it } from 'vitest';
import { nodeFetch } from '../src/node-fetch.js';
import { useServers } from './helpers.js';

// The default transport behind every request: what the request loop relies on from it.
describe('nodeFetch', () => {
  const { serve, serveRaw } = useServers();

  it('sends the method, headers and body, and answers with status, headers, body and url', async () => {
    const server = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.writeHead(201, { 'content-type': 'application/json', 'x-seen': `${req.method} ${req.headers['content-type']} ${req.headers.accept} ${body}` });
        res.end('{"ok":true}');
      });
    });
    const response = await nodeFetch(`${server.url}/path?q=1`, { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-seen')).toBe('POST text/plain */* hello');
    expect(response.url).toBe(`${server.url}/path?q=1`);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('reuses its connection for the next request (keep-alive)', async () => {
    const ports: number[] = [];
    const server = await serve((req, res) => {
      ports.push(req.socket.remotePort!);
      res.end('x');
    });
    for (let i = 0; i < 3; i++) await (await nodeFetch(server.url)).text();
    expect(new Set(ports).size).toBe(1);
  });

  it('answers HEAD and 204 without a body', async () => {
    const server = await serve((req, res) => {
      res.writeHead(req.method === 'HEAD' ? 200 : 204, { 'docker-content-digest': 'sha256:00' });
      res.end();
    });
    const head = await nodeFetch(server.url, { method: 'HEAD' });
    expect([head.status, head.body, head.headers.get('docker-content-digest')]).toEqual([200, null, 'sha256:00']);
    expect((await nodeFetch(server.url, { method: 'DELETE' })).status).toBe(204);
  });

  it('rejects when aborted before the answer, and errors the body when aborted during it', async () => {
    const slow = await serve(() => undefined);
    const early = new AbortController();
    const pending = nodeFetch(slow.url, { signal: early.signal });
    early.abort(new Error('gave up'));
    await expect(pending).rejects.toThrow('gave up');

    const trickle = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write('first part');
    });
    const late = new AbortController();
    const response = await nodeFetch(trickle.url, { signal: late.signal });
    const reader = response.body!.getReader();
    await reader.read();
    late.abort(new Error('timed out'));
    await expect(reader.read()).rejects.toThrow();
  });

  it('rejects an already aborted signal without sending anything', async () => {
    const server = await serve((_req, res) => {
      res.end();
    });
    await expect(nodeFetch(server.url, { signal: AbortSignal.abort(new Error('no')) })).rejects.toThrow('no');
    expect(server.hits).toBe(0);
  });

  it('rejects a dropped connection and a status that is not a final answer', async () => {
    const dropped = await serveRaw((socket) => socket.destroy());
    await expect(nodeFetch(dropped.url)).rejects.toThrow();
    const odd = await serveRaw((socket) => socket.end('HTTP/1.1 600 Odd\r\ncontent-length: 0\r\n\r\n'));
    await expect(nodeFetch(odd.url)).rejects.toThrow('not a final answer');
    const upgrade = await serveRaw((socket) => socket.write('HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n'));
    await expect(nodeFetch(upgrade.url)).rejects.toThrow('101');
  });

  it('asks for no content coding and refuses a compressed body sent anyway', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-asked': String(req.headers['accept-encoding']) });
      res.end('not really gzip');
    });
    await expect(nodeFetch(server.url)).rejects.toThrow('gzip-encoded');
  });
});
