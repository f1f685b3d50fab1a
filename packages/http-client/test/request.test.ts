import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, requestBytes, requestJson } from '../src/index.js';
import { expectHttpError, useServers } from './helpers.js';
import { localServer, sendJson, streamBytes } from './local-server.js';

const { serve, serveRaw } = useServers();

function readRequestBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
  });
}

// Fast retries for the tests; the defaults are checked on their own.
const quick = { retryDelayMs: 1, maxRetryDelayMs: 50 };

describe('requestJson: answers', () => {
  it('GETs and parses JSON, sending Accept: application/json', async () => {
    let accept: string | undefined;
    const server = await serve((req, res) => {
      accept = req.headers.accept;
      sendJson(res, 200, { treeSize: 3 });
    });
    const response = await requestJson(`${server.url}/api/v1/log`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ treeSize: 3 });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(accept).toBe('application/json');
  });

  it('POSTs a JSON body with its content type and the caller headers; accepts charset parameters', async () => {
    let seen: { method?: string; type?: string; auth?: string; body?: string } = {};
    const server = await serve(async (req, res) => {
      seen = { method: req.method, type: req.headers['content-type'], auth: req.headers.authorization, body: await readRequestBody(req) };
      res.writeHead(201, { 'content-type': 'Application/JSON; charset=utf-8', location: '/x' });
      res.end('{"ok":true}');
    });
    const response = await requestJson(server.url, { body: { a: [1, 'b'] }, headers: { authorization: 'Bearer x' }, expectStatus: 201 });
    expect(response).toMatchObject({ status: 201, body: { ok: true } });
    expect(response.headers.get('location')).toBe('/x');
    expect(seen).toEqual({ method: 'POST', type: 'application/json', auth: 'Bearer x', body: '{"a":[1,"b"]}' });
  });

  it('returns a listed non-2xx status (Rekor 409) with its JSON body, without retrying', async () => {
    const server = await serve((_req, res) => sendJson(res, 409, { code: 409, message: 'exists' }, { location: '/api/v1/log/entries/ab' }));
    const response = await requestJson(server.url, { method: 'POST', body: {}, expectStatus: [201, 409] });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ code: 409, message: 'exists' });
    expect(server.hits).toBe(1);
  });

  it('sends bytes as they are with the caller content type (a DER timestamp query), and reads bytes back', async () => {
    let seen: { type?: string; accept?: string; length?: number } = {};
    const server = await serve(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen = { type: req.headers['content-type'], accept: req.headers.accept, length: Buffer.concat(chunks).length };
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
      res.end(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]));
    });
    const response = await requestBytes(server.url, {
      body: new Uint8Array([0x30, 0x00]),
      headers: { 'content-type': 'application/timestamp-query' },
      accept: 'application/timestamp-reply',
    });
    expect(response.body).toEqual(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]));
    expect(seen).toEqual({ type: 'application/timestamp-query', accept: 'application/timestamp-reply', length: 2 });
  });

  it('does not follow redirects: the Location is reported, the token never sent on', async () => {
    let followed = 0;
    const elsewhere = await serve((_req, res) => {
      followed++;
      sendJson(res, 200, {});
    });
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/steal?token=abc` });
      res.end();
    });
    const err = await expectHttpError(requestJson(server.url, { headers: { authorization: 'Bearer secret-token-value' } }), 'HTTP_STATUS');
    expect(err.status).toBe(302);
    expect(err.details?.location).toBe(`${elsewhere.url}/steal?token=REDACTED`);
    expect(followed).toBe(0);
    expect(server.hits).toBe(1);
  });

  it('a Location holding the token the request sent (or any JWT) in its path: only its origin is shown', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    for (const [authorization, path] of [
      [`Bearer ${jwt}`, `/steal/${jwt}?x=1`],
      ['Bearer glpat-Secr3tToken_xyz', '/steal/glpat-Secr3tToken_xyz'],
      [`Basic ${Buffer.from('alice:hunter2-secret').toString('base64')}`, `/steal/${encodeURIComponent('alice:hunter2-secret')}`],
      ['Bearer opaque', `/other/${jwt}`],
    ] as const) {
      const server = await serve((_req, res) => {
        res.writeHead(302, { location: `https://evil.example${path}` });
        res.end();
      });
      const err = await expectHttpError(requestJson(`${server.url}/api/v2/signingCert`, { method: 'POST', body: {}, headers: { authorization }, retries: 0 }), 'HTTP_STATUS');
      const shown = JSON.stringify([err.message, err.hint, err.details]);
      expect(shown, path).not.toMatch(/eyJ|secr3t|hunter2/i);
      expect(err.details?.location).toBe('https://evil.example/[path withheld: it may hold a credential]');
    }
  });

  it('a URL holding a secret of the request (a realm a server chose) is shown by its origin in errors', async () => {
    const server = await serve((_req, res) => sendJson(res, 404, { message: 'no' }));
    const err = await expectHttpError(requestJson(`${server.url}/token/glpat-Secr3tToken_xyz`, { redact: ['glpat-Secr3tToken_xyz'], retries: 0 }), 'HTTP_STATUS');
    expect(JSON.stringify([err.message, err.details])).not.toMatch(/secr3t/i);
    expect(err.details?.url).toBe(`${server.url}/[path withheld: it may hold a credential]`);
  });
});

describe('requestJson: retries', () => {
  it('retries a 500 and returns the 200 that follows', async () => {
    const server = await serve((_req, res, hit) => (hit === 0 ? sendJson(res, 500, { code: 500, message: 'internal error' }) : sendJson(res, 200, { n: hit })));
    const response = await requestJson(server.url, quick);
    expect(response.body).toEqual({ n: 1 });
    expect(server.hits).toBe(2);
  });

  it('gives up after the retries with HTTP_STATUS, the status and the server message', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, { code: 503, message: 'overloaded' }));
    const err = await expectHttpError(requestJson(server.url, { ...quick, retries: 2 }), 'HTTP_STATUS');
    expect(server.hits).toBe(3);
    expect(err.status).toBe(503);
    expect(err.serverMessage).toBe('overloaded');
    expect(err.details).toMatchObject({ attempts: 3, status: 503, serverMessage: 'overloaded' });
  });

  it('honours a 429 Retry-After in seconds', async () => {
    const server = await serve((_req, res, hit) => (hit === 0 ? sendJson(res, 429, { message: 'slow down' }, { 'retry-after': '1' }) : sendJson(res, 200, {})));
    const started = performance.now();
    await requestJson(server.url, { retryDelayMs: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.hits).toBe(2);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const server = await serve((_req, res, hit) =>
      hit === 0 ? sendJson(res, 503, {}, { 'retry-after': new Date(Date.now() + 2_000).toUTCString() }) : sendJson(res, 200, {}),
    );
    const started = performance.now();
    await requestJson(server.url, { retryDelayMs: 1 });
    // The date has whole seconds: between one and two seconds from now.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('caps a long Retry-After at maxRetryDelayMs', async () => {
    const server = await serve((_req, res, hit) => (hit === 0 ? sendJson(res, 503, {}, { 'retry-after': '3600' }) : sendJson(res, 200, {})));
    const started = performance.now();
    await requestJson(server.url, { retryDelayMs: 1, maxRetryDelayMs: 100 });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(server.hits).toBe(2);
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry a %i', async (status) => {
    const server = await serve((_req, res) => sendJson(res, status, { code: status, message: `refused with ${status}` }));
    const err = await expectHttpError(requestJson(server.url, quick), 'HTTP_STATUS');
    expect(server.hits).toBe(1);
    expect(err.status).toBe(status);
    expect(err.serverMessage).toBe(`refused with ${status}`);
    expect(err.hint).toBeTruthy();
  });

  it('reports no server message for a non-JSON or message-less error body', async () => {
    const server = await serve((_req, res, hit) => {
      if (hit === 0) {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html>not here</html>');
      } else sendJson(res, 404, { code: 404 });
    });
    for (let i = 0; i < 2; i++) {
      const err = await expectHttpError(requestJson(server.url, quick), 'HTTP_STATUS');
      expect(err.serverMessage).toBeUndefined();
    }
  });

  it('retries a connection dropped mid-body, then succeeds', async () => {
    const server = await serve((_req, res, hit) => {
      if (hit === 0) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 20);
      } else sendJson(res, 200, { whole: true });
    });
    expect((await requestJson(server.url, quick)).body).toEqual({ whole: true });
    expect(server.hits).toBe(2);
  });

  it('a connection dropped mid-body every time ends in HTTP_NETWORK', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const err = await expectHttpError(requestJson(server.url, { ...quick, retries: 1 }), 'HTTP_NETWORK');
    expect(server.hits).toBe(2);
    expect(err.details?.attempts).toBe(2);
  });

  it('a refused connection is HTTP_NETWORK after the retries', async () => {
    const server = await localServer(() => undefined);
    await server.close();
    const err = await expectHttpError(requestJson(server.url, { ...quick, retries: 2 }), 'HTTP_NETWORK');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.details?.attempts).toBe(3);
  });

  it('a connection closed before any answer is HTTP_NETWORK', async () => {
    const server = await serveRaw((socket) => socket.destroy());
    await expectHttpError(requestJson(server.url, { ...quick, retries: 1 }), 'HTTP_NETWORK');
    expect(server.hits).toBe(2);
  });

  it('an injected fetch that throws counts as a network failure and is retried', async () => {
    let calls = 0;
    const fetch = async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    };
    const err = await expectHttpError(requestJson('https://fulcio.example/api/v2/configuration', { ...quick, retries: 1, fetch }), 'HTTP_NETWORK');
    expect(calls).toBe(2);
    expect(err.message).toContain('ECONNRESET');
  });
});

describe('requestJson: timeouts', () => {
  it('slow headers: HTTP_TIMEOUT after the per-attempt timeout', async () => {
    const server = await serve((_req, res) => {
      setTimeout(() => sendJson(res, 200, {}), 10_000).unref();
    });
    const started = performance.now();
    const err = await expectHttpError(requestJson(server.url, { timeoutMs: 200, retries: 0 }), 'HTTP_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(err.details).toMatchObject({ timeoutMs: 200, attempts: 1 });
  });

  it('slow body: a trickle of bytes does not keep the attempt alive', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => res.write('1,'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const started = performance.now();
    await expectHttpError(requestJson(server.url, { timeoutMs: 300, retries: 0 }), 'HTTP_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a server that never answers times out on every attempt', async () => {
    const server = await serve(() => undefined);
    const started = performance.now();
    const err = await expectHttpError(requestJson(server.url, { ...quick, timeoutMs: 150, retries: 2 }), 'HTTP_TIMEOUT');
    expect(server.hits).toBe(3);
    expect(err.details?.attempts).toBe(3);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a timed-out attempt is retried, and a prompt answer then wins', async () => {
    const server = await serve((_req, res, hit) => (hit === 0 ? undefined : sendJson(res, 200, { late: false })));
    expect((await requestJson(server.url, { ...quick, timeoutMs: 150 })).body).toEqual({ late: false });
  });
});

describe('requestJson: bodies it refuses', () => {
  it('a wrong content type is HTTP_CONTENT_TYPE naming what came back, not retried', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html>login</html>');
    });
    const err = await expectHttpError(requestJson(server.url, quick), 'HTTP_CONTENT_TYPE');
    expect(err.details).toMatchObject({ expected: ['application/json'], found: 'text/html' });
    expect(server.hits).toBe(1);
  });

  it('no content type at all is HTTP_CONTENT_TYPE', async () => {
    const server = await serveRaw((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}'));
    const err = await expectHttpError(requestJson(server.url), 'HTTP_CONTENT_TYPE');
    expect(err.details?.found).toBeNull();
  });

  it.each([
    ['garbage', Buffer.from('{"treeSize": 3,,,')],
    ['an empty body', Buffer.alloc(0)],
    ['invalid UTF-8', Buffer.from([0x22, 0xff, 0xfe, 0x22])],
  ])('%s is HTTP_INVALID_JSON', async (_name, body) => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
    const err = await expectHttpError(requestJson(server.url, quick), 'HTTP_INVALID_JSON');
    expect(err.message).not.toContain('treeSize');
    expect(server.hits).toBe(1);
  });

  it('JSON nested deeper than 100 levels is HTTP_INVALID_JSON naming the limit', async () => {
    const body = Buffer.from('['.repeat(101) + ']'.repeat(101));
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
    const err = await expectHttpError(requestJson(server.url, quick), 'HTTP_INVALID_JSON');
    expect(err.message).toContain('202 bytes that are out of bounds (expected JSON nested at most 100 levels deep, found deeper nesting at offset 100)');
  });

  it('an answer of 30,000 objects is HTTP_INVALID_JSON naming the limit for a service response and the count', async () => {
    // As long as real objects (32 characters each), so that the kind's limit refuses them.
    const body = Buffer.from(`[${Array(30_000).fill(`{"p":"${'x'.repeat(26)}"}`).join(',')}]`);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
    const err = await expectHttpError(requestJson(server.url, quick), 'HTTP_INVALID_JSON');
    expect(err.message).toContain('out of bounds (expected JSON with at most 20000 arrays and objects, found 30001 (the limit passed at offset 699966))');
  });

  it('jsonLimits raises the limits for an API known to answer more (a kind, or numbers), or lowers them', async () => {
    const body = Buffer.from(`[${Array(30_000).fill(`{"p":"${'x'.repeat(26)}"}`).join(',')}]`);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
    expect((await requestJson(server.url, { ...quick, jsonLimits: 'TUF targets' })).body).toHaveLength(30_000);
    expect((await requestJson(server.url, { ...quick, jsonLimits: { maxContainers: 30_001 } })).body).toHaveLength(30_000);
    const err = await expectHttpError(requestJson(server.url, { ...quick, jsonLimits: { maxDepth: 1 } }), 'HTTP_INVALID_JSON');
    expect(err.message).toContain('out of bounds (expected JSON nested at most 1 levels deep, found deeper nesting at offset 1)');
  });

  it('a 100 MiB body is refused after the limit, without reading it all', async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      sent = streamBytes(res, 100 * 1024 * 1024);
    });
    const err = await expectHttpError(requestJson(server.url, quick), 'HTTP_BODY_TOO_LARGE');
    expect(err.details?.limit).toBe(DEFAULTS.maxResponseBytes);
    // The default 16 MiB limit and what the socket buffers held: far from 100 MiB.
    expect(await sent).toBeLessThan(40 * 1024 * 1024);
    expect(server.hits).toBe(1);
  });

  it('a Content-Length over the limit is refused before the body is read', async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) });
      sent = streamBytes(res, 100 * 1024 * 1024);
    });
    await expectHttpError(requestJson(server.url, { maxResponseBytes: 1024 }), 'HTTP_BODY_TOO_LARGE');
    expect(await sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('a small limit applies to streamed bodies too', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { pad: 'x'.repeat(2000) }));
    await expectHttpError(requestJson(server.url, { maxResponseBytes: 1000 }), 'HTTP_BODY_TOO_LARGE');
  });

  it('a Content-Length shorter than the body: the body is cut there and is not JSON', async () => {
    const server = await serveRaw((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5\r\n\r\n{"treeSize":3}'));
    await expectHttpError(requestJson(server.url), 'HTTP_INVALID_JSON');
  });

  it('a Content-Length longer than the body, then a close: HTTP_NETWORK, no hang', async () => {
    const server = await serveRaw((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{}'));
    await expectHttpError(requestJson(server.url, { ...quick, retries: 0 }), 'HTTP_NETWORK');
  });

  it('a Content-Length longer than the body on an open connection: HTTP_TIMEOUT, no hang', async () => {
    const server = await serveRaw((socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{}'));
    await expectHttpError(requestJson(server.url, { timeoutMs: 200, retries: 0 }), 'HTTP_TIMEOUT');
  });

  it('a Content-Length that is not a number is not trusted: the stream limit still holds', async () => {
    const server = await serveRaw((socket) =>
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n800\r\n${' '.repeat(0x800)}\r\n0\r\n\r\n`),
    );
    await expectHttpError(requestJson(server.url, { maxResponseBytes: 100 }), 'HTTP_BODY_TOO_LARGE');
  });

  it('requestBytes checks its accepted media types', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const err = await expectHttpError(requestBytes(server.url, { accept: ['application/timestamp-reply'] }), 'HTTP_CONTENT_TYPE');
    expect(err.details).toMatchObject({ expected: ['application/timestamp-reply'], found: 'application/json' });
  });
});

describe('secrets stay out of errors', () => {
  const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzb21lb25lIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

  it('no secret query values, Authorization header or request body in messages or details', async () => {
    const server = await serve((_req, res) => sendJson(res, 400, { message: `bad token ${token} and body` }));
    const url = new URL(server.url);
    url.search = '?logIndex=5&access_token=qwerty123&X-Amz-Signature=abcdef';
    const err = await expectHttpError(
      requestJson(url, { body: { credentials: { oidcIdentityToken: token } }, headers: { authorization: `Bearer ${token}` } }),
      'HTTP_STATUS',
    );
    const shown = JSON.stringify({ message: err.message, details: err.details, hint: err.hint, serverMessage: err.serverMessage });
    for (const secret of [token, 'qwerty123', 'abcdef', 'oidcIdentityToken', 'c2lnbmF0dXJl']) expect(shown).not.toContain(secret);
    expect(err.message).toContain('logIndex=5');
    expect(err.serverMessage).toBe('bad token [redacted] and body');
  });

  it('a URL with a user name and password is refused without showing them', async () => {
    const err = await expectHttpError(requestJson('https://user:hunter2@rekor.example/api/v1/log'), 'HTTP_REQUEST_INVALID');
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toMatch(/hunter2|user@/);
  });

  it('blanks the strings given in `redact` from server messages', async () => {
    const server = await serve((_req, res) => sendJson(res, 401, { message: 'token opaque-secret-42 expired\nat line 2' }));
    const err = await expectHttpError(requestJson(server.url, { redact: ['opaque-secret-42'] }), 'HTTP_STATUS');
    expect(err.serverMessage).toBe('token [redacted] expired at line 2');
  });

  it('an invalid header value is refused without being shown', async () => {
    const err = await expectHttpError(requestJson('http://127.0.0.1:9/', { headers: { authorization: 'Bearer a\nb-secret' } }), 'HTTP_REQUEST_INVALID');
    expect(err.message).not.toContain('secret');
  });
});

describe('bad requests', () => {
  it.each([
    ['a relative URL', '/api/v1/log', {}],
    ['a non-http URL', 'file:///etc/passwd', {}],
    ['a body without JSON form', 'http://127.0.0.1:9/', { body: { n: 1n } }],
    ['a body that is a function', 'http://127.0.0.1:9/', { body: () => 1 }],
    ['negative retries', 'http://127.0.0.1:9/', { retries: -1 }],
    ['a zero timeout', 'http://127.0.0.1:9/', { timeoutMs: 0 }],
    ['a fractional limit', 'http://127.0.0.1:9/', { maxResponseBytes: 1.5 }],
    ['an empty expectStatus', 'http://127.0.0.1:9/', { expectStatus: [] }],
    ['a fetch that is not a function', 'http://127.0.0.1:9/', { fetch: 'yes' }],
    ['an unknown method', 'http://127.0.0.1:9/', { method: 'BREW' }],
    ['redact that is not a list', 'http://127.0.0.1:9/', { redact: 'token' }],
    ['jsonLimits of an unknown kind', 'http://127.0.0.1:9/', { jsonLimits: 'huge' }],
    ['jsonLimits of zero values', 'http://127.0.0.1:9/', { jsonLimits: { maxValues: 0 } }],
    ['jsonLimits with an unknown limit', 'http://127.0.0.1:9/', { jsonLimits: { maxBytes: 10 } }],
    ['jsonLimits a number', 'http://127.0.0.1:9/', { jsonLimits: 100 }],
  ])('%s is HTTP_REQUEST_INVALID', async (_name, url, options) => {
    await expectHttpError(requestJson(url, options as never), 'HTTP_REQUEST_INVALID');
  });

  it('a bad jsonLimits is named with what was found', async () => {
    const err = await expectHttpError(requestJson('http://127.0.0.1:9/', { jsonLimits: { maxValues: -1 } }), 'HTTP_REQUEST_INVALID');
    expect(err.message).toBe('jsonLimits: expected a JSON document kind or { maxDepth, maxContainers, maxValues } of whole numbers from 1, found maxValues -1');
  });

  it('requestBytes without media types is HTTP_REQUEST_INVALID', async () => {
    await expectHttpError(requestBytes('http://127.0.0.1:9/', { accept: [] }), 'HTTP_REQUEST_INVALID');
    await expectHttpError(requestBytes('http://127.0.0.1:9/', undefined as never), 'HTTP_REQUEST_INVALID');
  });
});
