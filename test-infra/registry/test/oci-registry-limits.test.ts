import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryTestError, buildTestImage, pushTestImage, sha256Digest, startOciRegistry, type OciRegistry, type OciRegistryOptions } from '../src/index.js';
import { BUNDLE_TYPE, EMPTY_CONFIG, errorCode, pushBlob, putManifest, referrerManifest } from './helpers.js';

// A registry with a small body limit and the referrers API off (as registry 2.8): 413s, garbage, options.
const LIMIT = 64 * 1024;
let registry: OciRegistry;

beforeAll(async () => {
  registry = await startOciRegistry({ maxBodyBytes: LIMIT, referrersApi: false });
});
afterAll(() => registry.close());

/** Sends raw bytes on a fresh connection and returns the first line of the answer. */
async function rawRequest(text: string): Promise<string> {
  const socket = connect(Number(new URL(registry.url).port), '127.0.0.1');
  let answer = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
  socket.end(text);
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return answer.split('\r\n')[0]!;
}

describe('referrersApi: false', () => {
  it('answers /referrers/ with registry 2.8 own 404 (text/plain), so clients take the tag fallback', async () => {
    const res = await fetch(`${registry.url}/v2/test/hello/referrers/sha256:${'0'.repeat(64)}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('404 page not found\n');
  });

  it('stores a manifest with a subject but sends no OCI-Subject', async () => {
    const image = buildTestImage();
    await pushTestImage(registry.url, 'test/hello', 'v1', image);
    await pushBlob(registry.url, 'test/hello', EMPTY_CONFIG);
    const layer = new TextEncoder().encode('{}bundle');
    await pushBlob(registry.url, 'test/hello', layer);
    const manifest = referrerManifest(layer, image.descriptor, { artifactType: BUNDLE_TYPE });
    const res = await putManifest(registry.url, 'test/hello', sha256Digest(manifest), manifest);
    expect(res.status).toBe(201);
    expect(res.headers.get('oci-subject')).toBeNull();
  });
});

describe('bounded bodies (413 SIZE_INVALID)', () => {
  const big = new Uint8Array(LIMIT + 1);

  it('refuses a monolithic upload over the limit, declared or streamed, and keeps serving', async () => {
    const declared = await fetch(`${registry.url}/v2/test/big/blobs/uploads/?digest=${sha256Digest(big)}`, { method: 'POST', body: big });
    expect(declared.status).toBe(413);
    expect(await errorCode(declared)).toBe('SIZE_INVALID');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new Uint8Array(LIMIT / 4));
        controller.close();
      },
    });
    const streamed = await fetch(`${registry.url}/v2/test/big/blobs/uploads/?digest=${sha256Digest(big)}`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
  });

  it('refuses chunks that together pass the limit', async () => {
    const location = (await fetch(`${registry.url}/v2/test/big/blobs/uploads/`, { method: 'POST' })).headers.get('location')!;
    const half = new Uint8Array(LIMIT / 2 + 1);
    expect((await fetch(new URL(location, registry.url), { method: 'PATCH', body: half })).status).toBe(202);
    const second = await fetch(new URL(location, registry.url), { method: 'PATCH', body: half });
    expect(second.status).toBe(413);
    expect(await errorCode(second)).toBe('SIZE_INVALID');
  });

  it('refuses a manifest over the limit', async () => {
    const res = await putManifest(registry.url, 'test/big', 'v1', big);
    expect(res.status).toBe(413);
  });
});

describe('garbage requests', () => {
  it.each([
    '/v2/UPPER/tags/list',
    '/v2/a//b/tags/list',
    '/v2/-a/manifests/v1',
    `/v2/${'a'.repeat(256)}/tags/list`,
    '/v2/a%2Fb/tags/list',
  ])('refuses the repository name in %s with 400 NAME_INVALID', async (path) => {
    const res = await fetch(`${registry.url}${path}`);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('NAME_INVALID');
  });

  it.each(['/', '/v1/', '/v2/a', '/v2/a/unknown/thing', '/v2/_catalog', '/token', '/v2/a/blobs/'])('answers %s with a plain 404', async (path) => {
    const res = await fetch(`${registry.url}${path}`);
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });

  it('refuses a method an endpoint does not have with 405, Allow and UNSUPPORTED', async () => {
    for (const [method, path, allow] of [
      ['POST', '/v2/', 'GET, HEAD'],
      ['PUT', `/v2/a/blobs/sha256:${'0'.repeat(64)}`, 'GET, HEAD, DELETE'],
      ['DELETE', '/v2/a/tags/list', 'GET'],
      ['OPTIONS', '/v2/a/manifests/v1', 'GET, HEAD, PUT, DELETE'],
    ] as const) {
      const res = await fetch(`${registry.url}${path}`, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(await errorCode(res)).toBe('UNSUPPORTED');
    }
  });

  it('refuses bad percent-encoding in a reference with 400', async () => {
    const res = await fetch(`${registry.url}/v2/a/manifests/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('UNSUPPORTED');
  });

  it('survives broken HTTP, absolute-form targets and a body cut short, and keeps serving', async () => {
    expect(await rawRequest('NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1.1 400/);
    expect(await rawRequest('GET http://elsewhere.invalid/v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toBe('HTTP/1.1 200 OK');
    const cut = `PUT /v2/a/manifests/v1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"schemaVersion":`;
    await rawRequest(cut);
    const status = await fetch(`${registry.url}/v2/`);
    expect(status.status).toBe(200);
    expect(registry.requests.at(-2)).toMatchObject({ method: 'PUT', path: '/v2/a/manifests/v1' });
  });
});

describe('random requests', () => {
  // A fixed seed: the same 300 requests on every run.
  let seed = 0x5eed;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n)); // high bits: the low ones cycle
  const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
  const digest = `sha256:${'a'.repeat(64)}`;
  const names = ['a', 'test/hello', 'A', 'a..b', '', 'a/', '%00', 'x'.repeat(300), 'a/b/c/d'];
  const tails = ['blobs/', 'blobs/uploads/', 'blobs/uploads/x', `blobs/${digest}`, 'manifests/v1', `manifests/${digest}`, 'manifests/%ZZ', 'manifests/a:b', 'referrers/', `referrers/${digest}?artifactType=`, 'tags/list?n=abc', 'tags/list?n=99999999', '', '..', '%2e%2e/x'];
  const bodies = [undefined, '', '{}', '[]', 'null', '{"schemaVersion":2}', `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"x","digest":"${digest}","size":1e999}]}`, '\u0000\uffff', 'x'.repeat(5000)];
  const headerSets: Array<Record<string, string>> = [{}, { 'content-range': '0-' }, { 'content-range': '99999999999999999999-1' }, { 'content-type': 'application/vnd.oci.image.index.v1+json' }, { authorization: 'Bearer' }, { authorization: 'Basic Og==' }, { 'content-type': ';;;' }];

  it('never answers 500 and never stops serving', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const method = pick(['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE']);
      const body = method === 'GET' || method === 'HEAD' ? undefined : pick(bodies);
      const res = await fetch(`${registry.url}/v2/${pick(names)}/${pick(tails)}`, { method, body, headers: pick(headerSets) });
      await res.arrayBuffer();
      statuses.add(res.status);
      expect(res.status, `${method} request ${i}`).toBeLessThan(500);
    }
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 404, 405]));
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
  });
});

describe('options', () => {
  it.each<[string, unknown]>([
    ['a host other than loopback', { host: '0.0.0.0' }],
    ['a negative port', { port: -1 }],
    ['a port past 65535', { port: 70000 }],
    ['a fractional body limit', { maxBodyBytes: 1.5 }],
    ['a zero body limit', { maxBodyBytes: 0 }],
    ['a non-boolean referrersApi', { referrersApi: 'yes' }],
    ['an unknown auth kind', { auth: { kind: 'digest', username: 'u', password: 'p' } }],
    ['an empty user name', { auth: { kind: 'basic', username: '', password: 'p' } }],
    ['a user name with a colon', { auth: { kind: 'basic', username: 'a:b', password: 'p' } }],
    ['a password that is not a string', { auth: { kind: 'bearer', username: 'u', password: 42 } }],
    ['options that are not an object', 'fast'],
  ])('refuses %s with REGISTRY_INPUT_INVALID', async (_, options) => {
    const err = await startOciRegistry(options as OciRegistryOptions).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryTestError);
    expect((err as RegistryTestError).code).toBe('REGISTRY_INPUT_INVALID');
  });

  it('never shows a refused password', async () => {
    const err = (await startOciRegistry({ auth: { kind: 'basic', username: 'u', password: 'line\nbreak-secret' } }).catch((e: unknown) => e)) as Error;
    expect((err as RegistryTestError).code).toBe('REGISTRY_INPUT_INVALID');
    expect(err.message).not.toContain('break-secret');
  });

  it('fails with REGISTRY_START_FAILED on a port that is taken', async () => {
    const err = await startOciRegistry({ port: Number(new URL(registry.url).port) }).catch((e: unknown) => e);
    expect((err as RegistryTestError).code).toBe('REGISTRY_START_FAILED');
  });

  it('closes more than once without error', async () => {
    const extra = await startOciRegistry();
    await extra.close();
    await extra.close();
    await expect(fetch(`${extra.url}/v2/`)).rejects.toThrow();
  });
});
