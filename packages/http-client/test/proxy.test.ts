import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../../../scripts/bundle-for-node.mjs';
import { createNodeFetch, requestJson } from '../src/index.js';
import { proxyFor } from '../src/proxy-from-env.js';
import { expectHttpError } from './helpers.js';

// HTTPS_PROXY, HTTP_PROXY and NO_PROXY as Go's http.ProxyFromEnvironment reads them, and a
// real CONNECT tunnel through a local proxy to a local TLS server.
describe('which requests go through a proxy (Go rules)', () => {
  const env = { HTTPS_PROXY: 'proxy.corp:3128', http_proxy: 'http://plain.corp:80', NO_PROXY: 'internal.example, .sub.example,10.0.0.0/8, 192.168.1.5:8443, [2001:db8::1], *.wild.example' };
  it.each([
    ['https://fulcio.sigstore.dev/api', 'http://proxy.corp:3128/'],
    ['http://10.1.2.3/', undefined], // in 10.0.0.0/8
    ['https://localhost/', undefined],
    ['https://127.0.0.2/', undefined],
    ['https://[::1]/', undefined],
    ['https://internal.example/', undefined], // the domain itself
    ['https://a.internal.example/', undefined], // and its subdomains
    ['https://notinternal.example/', 'http://proxy.corp:3128/'],
    ['https://sub.example/', 'http://proxy.corp:3128/'], // .sub.example: subdomains only
    ['https://x.sub.example/', undefined],
    ['https://a.wild.example/', undefined],
    ['https://192.168.1.5:8443/', undefined],
    ['https://192.168.1.5/', 'http://proxy.corp:3128/'], // another port
    ['https://[2001:db8::1]/', undefined],
    ['http://example.com/', 'http://plain.corp/'],
  ])('%s -> %s', (url, proxy) => {
    expect(proxyFor(new URL(url), env)?.href).toBe(proxy);
  });

  it('upper case wins over lower case; NO_PROXY=* turns it off; a SOCKS proxy is refused by name', () => {
    expect(proxyFor(new URL('https://a.example/'), { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1' })?.host).toBe('upper:1');
    expect(proxyFor(new URL('https://a.example/'), { https_proxy: 'http://lower:1' })?.host).toBe('lower:1');
    expect(proxyFor(new URL('https://a.example/'), { HTTPS_PROXY: 'http://upper:1', no_proxy: '*' })).toBeUndefined();
    expect(() => proxyFor(new URL('https://a.example/'), { HTTPS_PROXY: 'socks5://s:1080' })).toThrow(/expected an http or https proxy, found the scheme socks5:/);
  });
});

describe('a CONNECT proxy in front of an https service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-proxy-'));
  let tlsServer: TlsServer;
  let tlsPort: number;
  let serverNames: string[] = [];
  let proxyPort: number;
  let connects: { target: string; auth: string | undefined }[] = [];
  let refuse = false;
  const proxy = createServer();
  // Tunnelled sockets leave the server's keeping (closeAllConnections): closed here at the end.
  const tunnels: Socket[] = [];
  const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };

  beforeAll(async () => {
    // A self-signed certificate for a name only the proxy can resolve.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=fulcio.proxied.test', '-days', '1', '-addext', 'subjectAltName=DNS:fulcio.proxied.test'], { stdio: 'ignore' });
    tlsServer = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')), SNICallback: (name, done) => (serverNames.push(name), done(null, undefined)) });
    tlsServer.on('tlsClientError', () => undefined);
    // A client that trusts the certificate gets a small JSON answer to its request.
    tlsServer.on('secureConnection', (socket) => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}')));
    await new Promise<void>((done) => tlsServer.listen(0, '127.0.0.1', done));
    tlsPort = (tlsServer.address() as AddressInfo).port;
    proxy.on('connect', (req: IncomingMessage, client: Socket) => {
      connects.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
      tunnels.push(client);
      if (refuse) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      // The proxy resolves the name: here, to the local TLS server.
      const upstream = connect(tlsPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    proxyPort = (proxy.address() as AddressInfo).port;
  });
  afterEach(() => {
    connects = [];
    serverNames = [];
    refuse = false;
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    for (const socket of tunnels) socket.destroy();
    await new Promise((done) => proxy.close(done));
    await new Promise((done) => tlsServer.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  const target = () => `https://fulcio.proxied.test:${tlsPort}/api/v2/signingCert`;

  it('tunnels with CONNECT and Proxy-Authorization; TLS runs end to end to the server (whose self-signed certificate is then refused)', async () => {
    process.env.HTTPS_PROXY = `http://proxy-user:proxy-pass@127.0.0.1:${proxyPort}`;
    const err = await expectHttpError(requestJson(target(), { retries: 0 }), 'HTTP_NETWORK');
    expect(err.message).toMatch(/self[- ]signed/i);
    expect(connects).toEqual([{ target: `fulcio.proxied.test:${tlsPort}`, auth: `Basic ${Buffer.from('proxy-user:proxy-pass').toString('base64')}` }]);
    expect(serverNames).toEqual(['fulcio.proxied.test']);
    expect(JSON.stringify([err.message, err.details])).not.toContain('proxy-pass');
  });

  it('the TLS settings of createNodeFetch (a private CA) apply inside the tunnel, and only to that fetch', async () => {
    process.env.HTTPS_PROXY = `http://127.0.0.1:${proxyPort}`;
    const ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const err = await expectHttpError(requestJson(target(), { retries: 0, fetch: createNodeFetch() }), 'HTTP_NETWORK');
    expect(err.message).toMatch(/self[- ]signed/i);
    expect((await requestJson(target(), { retries: 0, fetch: createNodeFetch({ ca }) })).body).toEqual({ ok: true });
    expect(connects.map((c) => c.target)).toEqual([`fulcio.proxied.test:${tlsPort}`, `fulcio.proxied.test:${tlsPort}`]);
  });

  it('NO_PROXY names the host: no tunnel, the name is looked up directly (and is not found)', async () => {
    process.env.HTTPS_PROXY = `http://127.0.0.1:${proxyPort}`;
    process.env.NO_PROXY = 'proxied.test';
    const err = await expectHttpError(requestJson(target(), { retries: 0 }), 'HTTP_NETWORK');
    expect(err.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(connects).toEqual([]);
  });

  it('a proxy that refuses CONNECT: a network error that names the proxy without its credentials', async () => {
    process.env.HTTPS_PROXY = `http://u:secret-proxy-pw@127.0.0.1:${proxyPort}`;
    refuse = true;
    const err = await expectHttpError(requestJson(target(), { retries: 0 }), 'HTTP_NETWORK');
    expect(err.message).toContain('refused CONNECT');
    expect(err.message).toContain('407');
    expect(err.message).not.toContain('secret-proxy-pw');
  });
});

// A proxy that accepts the connection and never answers CONNECT: each attempt times out, and
// the process must then exit on its own (a CONNECT left waiting kept it alive for ever).
describe('a proxy that never answers CONNECT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-proxy-silent-'));
  const held: Socket[] = [];
  const silent = createNetServer((socket) => {
    held.push(socket);
    socket.on('error', () => undefined);
    socket.resume();
  });
  let script: string;

  beforeAll(async () => {
    await bundleForNode({ 'request-through-proxy': new URL('support/request-through-proxy.ts', import.meta.url).pathname }, dir);
    script = join(dir, 'request-through-proxy.mjs');
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
  }, 60_000);
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((done) => silent.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  it('each attempt times out (HTTP_TIMEOUT) and the process exits by itself', async () => {
    const env = { ...process.env, HTTPS_PROXY: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, NO_PROXY: '' };
    const started = Date.now();
    const run = await new Promise<{ error: Error | null; stdout: string }>((done) => {
      execFile(process.execPath, [script], { env, timeout: 10_000, killSignal: 'SIGKILL' }, (error, stdout) => done({ error, stdout }));
    });
    expect(run.error, 'the child did not exit by itself within 10 s').toBeNull();
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'HTTP_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(held.length).toBe(2);
  }, 30_000);
});
