import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient } from '../src/index.js';
import { expectOciError } from './helpers.js';

// A loopback registry serving https with a self-signed certificate. --allow-insecure-registry
// adds plain http, which such a registry does not speak: the hint must say what does help
// (its CA with --registry-cacert), not ask for the flag that was given.
describe('a loopback registry with a certificate this client does not trust', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-registry-tls-'));
  const sockets = new Set<Socket>();
  let tlsOnly: HttpsServer;
  let goLike: NetServer;
  let inner: HttpsServer;
  const hostOf = (server: { address(): unknown }) => `127.0.0.1:${(server.address() as AddressInfo).port}`;

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1', '-days', '1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
    const answer = (_req: unknown, res: { writeHead(status: number): { end(): void } }) => res.writeHead(200).end();
    // Node's https server: plain http to it is dropped (socket hang up).
    tlsOnly = createHttpsServer(tls, answer);
    // As Go's (Debian's docker-registry with TLS): plain http on the TLS port gets a 400.
    inner = createHttpsServer(tls, answer);
    goLike = createNetServer((socket) => {
      socket.once('data', (first) => {
        socket.pause();
        socket.unshift(first);
        if (first[0] === 0x16) return void inner.emit('connection', socket);
        socket.end('HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n');
      });
    });
    for (const server of [tlsOnly, goLike]) {
      server.on('connection', (socket: Socket) => (sockets.add(socket), socket.on('close', () => sockets.delete(socket))));
      server.on('tlsClientError', () => undefined);
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    }
    inner.on('tlsClientError', () => undefined);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([tlsOnly, goLike].map((server) => new Promise((done) => server.close(done))));
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (allowInsecure: boolean) => createRegistryClient({ allowInsecure, http: { retries: 0 } });

  it.each([
    ['with allowInsecure, a server that drops plain http', () => hostOf(tlsOnly), true, 'OCI_NETWORK'],
    ["with allowInsecure, a server that answers plain http with Go's 400", () => hostOf(goLike), true, 'OCI_REGISTRY_ERROR'],
    ['without allowInsecure', () => hostOf(tlsOnly), false, 'OCI_NETWORK'],
  ] as const)('%s: the hint names --registry-cacert, not the insecure flag', async (_, host, allowInsecure, code) => {
    const err = await expectOciError(client(allowInsecure).listTags(`${host()}/a/b`), code);
    expect(err.hint).toContain('--registry-cacert');
    expect(err.hint).not.toMatch(/pass --allow-insecure-registry/);
  });
});
