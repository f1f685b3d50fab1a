import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestRaw } from '../src/index.js';
import { expectHttpError, useServers } from './helpers.js';
import { sendJson, streamBytes } from './local-server.js';

const { serve } = useServers();

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const quick = { retryDelayMs: 1, maxRetryDelayMs: 50 };

describe('requestRaw', () => {
  it('returns a 401 with its headers and body as they are, without retrying', async () => {
    const server = await serve((_req, res) => sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': 'Basic realm="r"' }));
    const response = await requestRaw(server.url, quick);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="r"');
    expect(JSON.parse(Buffer.from(response.body).toString())).toEqual({ errors: [{ code: 'UNAUTHORIZED' }] });
    expect(server.hits).toBe(1);
  });

  it('PUTs and PATCHes raw bytes with the caller headers only', async () => {
    const seen: { method?: string; type?: string; accept?: string; body?: string }[] = [];
    const server = await serve(async (req, res) => {
      seen.push({ method: req.method, type: req.headers['content-type'], accept: req.headers.accept, body: (await bodyOf(req)).toString() });
      res.writeHead(202, { location: '/next' });
      res.end();
    });
    const body = new TextEncoder().encode('abc');
    const put = await requestRaw(server.url, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } });
    const patch = await requestRaw(server.url, { method: 'PATCH', body });
    expect([put.status, patch.status, put.headers.get('location')]).toEqual([202, 202, '/next']);
    expect(seen.map(({ accept: _, ...rest }) => rest)).toEqual([
      { method: 'PUT', type: 'application/octet-stream', body: 'abc' },
      { method: 'PATCH', type: undefined, body: 'abc' },
    ]);
    // No Accept of ours; undici may add its own */*.
    for (const { accept } of seen) expect([undefined, '*/*']).toContain(accept);
  });

  it('returns a redirect without following it', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(307, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    const response = await requestRaw(server.url);
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('http://127.0.0.1:1/elsewhere');
    expect(server.hits).toBe(1);
  });

  it('HEAD: the headers, no body, even when Content-Length is over the limit', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(1 << 30), 'docker-content-digest': 'sha256:ab' });
      res.end();
    });
    const response = await requestRaw(server.url, { method: 'HEAD', maxResponseBytes: 10 });
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe('sha256:ab');
    expect(response.body.length).toBe(0);
  });

  it('retries 5xx and 429, then returns what follows', async () => {
    const server = await serve((_req, res, hit) => {
      if (hit === 0) sendJson(res, 503, {});
      else if (hit === 1) sendJson(res, 429, {}, { 'retry-after': '0' });
      else sendJson(res, 404, { errors: [] });
    });
    const response = await requestRaw(server.url, quick);
    expect(response.status).toBe(404);
    expect(server.hits).toBe(3);
  });

  it('5xx on every attempt ends in HTTP_STATUS', async () => {
    const server = await serve((_req, res) => sendJson(res, 500, { message: 'down' }));
    const err = await expectHttpError(requestRaw(server.url, { ...quick, retries: 1 }), 'HTTP_STATUS');
    expect(err.status).toBe(500);
    expect(server.hits).toBe(2);
  });

  it('a 2xx body over maxResponseBytes is HTTP_BODY_TOO_LARGE', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      void streamBytes(res, 10 * 1024 * 1024);
    });
    await expectHttpError(requestRaw(server.url, { maxResponseBytes: 1024 }), 'HTTP_BODY_TOO_LARGE');
  });

  it('an endless error body is cut at 64 KiB, not read to the end', async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const server = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      sent = streamBytes(res, 100 * 1024 * 1024);
    });
    const response = await requestRaw(server.url);
    expect(response.status).toBe(404);
    expect(response.body.length).toBe(64 * 1024);
    expect(await sent).toBeLessThan(40 * 1024 * 1024);
  });

  it('refuses a body that is not bytes, and a bad method', async () => {
    await expectHttpError(requestRaw('http://127.0.0.1:1/', { body: 'text' as unknown as Uint8Array }), 'HTTP_REQUEST_INVALID');
    await expectHttpError(requestRaw('http://127.0.0.1:1/', { method: 'TRACE' as 'GET' }), 'HTTP_REQUEST_INVALID');
  });

  it('a slow server times out', async () => {
    const server = await serve(() => undefined);
    await expectHttpError(requestRaw(server.url, { ...quick, timeoutMs: 100, retries: 1 }), 'HTTP_TIMEOUT');
  });
});
