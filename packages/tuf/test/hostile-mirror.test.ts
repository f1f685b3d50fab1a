import { readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isSigilError } from '@sigil/errors';
import { readCachedTrust, refreshTuf, TufError } from '@sigil/tuf';
import { FIXTURES, NEW, NEW_TIME, ROOT_V5, tufTestEnv } from './static-mirror.js';

// A mirror that serves the real August 2026 layout except where a test plants a behaviour:
// every refusal must be a TufError with a stable code, quickly, and nothing may be cached.
type Behaviour = (res: ServerResponse, base: string) => void;
const behaviours = new Map<string, Behaviour>();
let server: Server;
let base: string;
const env = tufTestEnv({ time: NEW_TIME });

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/+/, '');
    const planted = behaviours.get(path);
    if (planted) return planted(res, base);
    let body: Buffer;
    try {
      body = readFileSync(join(FIXTURES, NEW, path.replace(/^moved\//, '')));
    } catch {
      return res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => behaviours.clear());

async function refused(mirror = base): Promise<TufError> {
  const started = performance.now();
  const err = await refreshTuf({ cacheRoot: env.cacheRoot, mirror, root: ROOT_V5, retries: 0, timeoutMs: 1500 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(performance.now() - started).toBeLessThan(5000);
  expect(isSigilError(err) && err instanceof TufError, String(err)).toBe(true);
  expect(readCachedTrust(env.cacheRoot, mirror)).toBeUndefined();
  return err as TufError;
}

const redirect = (location: string): Behaviour => (res) => res.writeHead(302, { location }).end();

describe('a hostile mirror', () => {
  it('is refused when it is plain http to a host that is not loopback, before any connection', async () => {
    const err = await refused('http://192.0.2.1');
    expect(err.code).toBe('TUF_MIRROR_INSECURE');
    // Said first, before asking for a root the mirror would need.
    const noRoot = await refreshTuf({ cacheRoot: env.cacheRoot, mirror: 'http://192.0.2.1' }).catch((e: TufError) => e);
    expect((noRoot as TufError).code).toBe('TUF_MIRROR_INSECURE');
    expect(err.message).toMatch(/http:\/\/192\.0\.2\.1\/1?\d*\.?root\.json|192\.0\.2\.1.*expected https/);
  });

  it('is refused when it is not http(s) (file:, ftp:), before any read', async () => {
    for (const mirror of ['file:///tmp/tuf-mirror', 'ftp://192.0.2.1/tuf']) {
      const err = await refused(mirror);
      expect(err.code).toBe('TUF_UPDATE_FAILED');
      expect(err.message).toContain('expected an absolute http(s) URL');
    }
  });

  it('cannot redirect the client to plain http on another host', async () => {
    behaviours.set('timestamp.json', redirect('http://192.0.2.1/timestamp.json'));
    const err = await refused();
    expect(err.code).toBe('TUF_MIRROR_INSECURE');
    expect(err.message).toContain('expected https');
  });

  it('may redirect within the rule (as Go clients follow redirects), a bounded number of times', async () => {
    behaviours.set('timestamp.json', (res, b) => res.writeHead(301, { location: `${b}/moved/timestamp.json` }).end());
    const result = await refreshTuf({ cacheRoot: env.cacheRoot, mirror: base, root: ROOT_V5, retries: 0, timeoutMs: 1500 });
    expect(result.after.versions.timestamp).toBe(762);
    behaviours.set('loop.json', redirect('/loop.json'));
    behaviours.set('timestamp.json', redirect('/loop.json'));
    rmSync(env.cacheRoot, { recursive: true, force: true });
    const err = await refused();
    expect(err.code, err.message).toBe('TUF_MIRROR_UNREACHABLE');
    expect(err.message).toMatch(/redirect/i);
  });

  it('cannot make the client read a huge or slow answer', async () => {
    behaviours.set('timestamp.json', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(Buffer.alloc(64 * 1024, 0x20));
      res.end(Buffer.alloc(64 * 1024, 0x20));
    });
    expect((await refused()).code).toBe('TUF_TOO_LARGE');
    behaviours.set('timestamp.json', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 100);
      res.on('close', () => clearInterval(drip));
    });
    const slow = await refused();
    expect(slow.code).toBe('TUF_MIRROR_UNREACHABLE');
  });

  it('refuses metadata holding more arrays and objects than its role may, before it is parsed', async () => {
    // 60 KB, well under tuf-js's 512 KB for a root; a real root holds 44.
    const body = `{"signed":{"_type":"root","x":[${Array(20_000).fill('{}').join(',')}]},"signatures":[]}`;
    behaviours.set('6.root.json', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    const err = await refused();
    expect(err.code, err.message).toBe('TUF_METADATA_INVALID');
    expect(err.message).toContain('TUF root metadata 6.root.json: expected JSON with at most 10000 arrays and objects, found 20004');
  });

  it('refuses invalid, deep and wrongly typed JSON with typed errors', async () => {
    for (const body of ['<html>login</html>', '['.repeat(15_000), '{"signed": {"_type": "timestamp"}, "signatures": "x"}', '']) {
      behaviours.set('timestamp.json', (res) => res.writeHead(200, { 'content-type': 'text/html' }).end(body));
      const err = await refused();
      expect(['TUF_METADATA_INVALID'], `${body.slice(0, 20)}: ${err.code} ${err.message}`).toContain(err.code);
      expect(err.message).toContain('timestamp');
    }
  });
});
