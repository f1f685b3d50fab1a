import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { localServer, type LocalServer } from '@sigil/stack';
import { createRegistryClient, digestOf, OCI_INDEX, OCI_MANIFEST, OciError, type RegistryClientOptions } from '../src/index.js';
import { expectOciError, floodResponse } from './helpers.js';
import { image, TEST_IMAGE_DIGEST } from './registry-fixtures.js';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number, body: string) => void;

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler): Promise<{ server: LocalServer; host: string }> {
  const server = await localServer((res, body, hit, req) => handler(req, res, hit, body));
  servers.push(server);
  return { server, host: new URL(server.url).host };
}

function client(options: RegistryClientOptions = {}) {
  return createRegistryClient({ allowInsecure: true, ...options, http: { retries: 2, retryDelayMs: 1, maxRetryDelayMs: 5, timeoutMs: 5000, ...options.http } });
}

function send(res: ServerResponse, status: number, body: string | Uint8Array = '', headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end(body);
}

const manifestHeaders = { 'content-type': OCI_MANIFEST, 'docker-content-digest': TEST_IMAGE_DIGEST };
const other = digestOf(new TextEncoder().encode('other'));
// Valid JSON one level deeper than any JSON read from outside may be.
const deepJson = `${'['.repeat(101)}${']'.repeat(101)}`;

describe('hostile or broken answers', () => {
  it('garbage where a manifest should be: OCI_MANIFEST_INVALID', async () => {
    for (const body of ['{not json', '[1,2]', '{"schemaVersion":1}', '\u00ff\u00fe', '"text"']) {
      const { host } = await serve((_req, res) => send(res, 200, body, { 'content-type': OCI_MANIFEST }));
      await expectOciError(client().getManifest(`${host}/a/b:v1`), 'OCI_MANIFEST_INVALID');
    }
  });

  it('JSON over its limits is refused as such, naming the limit, not as "not JSON" (manifest, tag list)', async () => {
    const { host } = await serve((req, res) => send(res, 200, deepJson, { 'content-type': req.url?.includes('/tags/') ? 'application/json' : OCI_MANIFEST }));
    const manifest = await expectOciError(client().getManifest(`${host}/a/b:v1`), 'OCI_MANIFEST_INVALID');
    expect(manifest.message).toContain('OCI manifest: expected JSON nested at most 100 levels deep, found deeper nesting at offset 100');
    const tags = await expectOciError(client().listTags(`${host}/a/b`), 'OCI_RESPONSE_INVALID');
    expect(tags.message).toContain('OCI tag list: expected JSON nested at most 100 levels deep');
    for (const err of [manifest, tags]) expect(err.message).not.toContain('that are not');
  });

  it('a manifest whose mediaType field disagrees with its Content-Type: OCI_MANIFEST_INVALID', async () => {
    const { host } = await serve((_req, res) => send(res, 200, image.manifest, { 'content-type': OCI_INDEX }));
    await expectOciError(client().getManifest(`${host}/a/b:v1`), 'OCI_MANIFEST_INVALID');
  });

  it('a media type not asked for (schema 1, or none at all): OCI_MEDIA_TYPE_UNSUPPORTED', async () => {
    const schema1 = await serve((_req, res) => send(res, 200, '{"schemaVersion":2}', { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }));
    await expectOciError(client().getManifest(`${schema1.host}/a/b:v1`), 'OCI_MEDIA_TYPE_UNSUPPORTED');
    const asked = await serve((_req, res) => send(res, 200, image.manifest, { 'content-type': OCI_MANIFEST }));
    await expectOciError(client().getManifest(`${asked.host}/a/b:v1`, [OCI_INDEX]), 'OCI_MEDIA_TYPE_UNSUPPORTED');
  });

  it('huge bodies are cut at the limit: OCI_TOO_LARGE (streamed, declared, or a blob over maxBlobBytes)', async () => {
    const streamed = await serve((_req, res) => floodResponse(res, OCI_MANIFEST, 64 * 1024 * 1024));
    await expectOciError(client().getManifest(`${streamed.host}/a/b:v1`), 'OCI_TOO_LARGE');
    const declared = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': String(8 * 1024 * 1024) });
      res.write('{');
    });
    await expectOciError(client().getManifest(`${declared.host}/a/b:v1`), 'OCI_TOO_LARGE');
    const blob = await serve((_req, res) => send(res, 200, new Uint8Array(2048)));
    await expectOciError(client({ maxBlobBytes: 1024 }).getBlob(`${blob.host}/a/b`, digestOf(new Uint8Array(2048))), 'OCI_TOO_LARGE');
    const head = await serve((_req, res) => send(res, 200, '', { ...manifestHeaders, 'content-length': String(5 * 1024 * 1024) }));
    await expectOciError(client().resolveDigest(`${head.host}/a/b:v1`), 'OCI_TOO_LARGE');
  });

  it('content that is not what its digest says: OCI_DIGEST_MISMATCH', async () => {
    // By digest: other bytes.
    const byDigest = await serve((_req, res) => send(res, 200, image.config.bytes, { 'content-type': OCI_MANIFEST }));
    await expectOciError(client().getManifest(`${byDigest.host}/a/b@${TEST_IMAGE_DIGEST}`), 'OCI_DIGEST_MISMATCH');
    // By tag: a Docker-Content-Digest that the bytes do not have.
    const lyingHeader = await serve((_req, res) => send(res, 200, image.manifest, { 'content-type': OCI_MANIFEST, 'docker-content-digest': other }));
    await expectOciError(client().getManifest(`${lyingHeader.host}/a/b:v1`), 'OCI_DIGEST_MISMATCH');
    // A HEAD by digest that names another digest.
    const head = await serve((_req, res) => send(res, 200, '', { ...manifestHeaders, 'docker-content-digest': other, 'content-length': '401' }));
    await expectOciError(client().resolveDigest(`${head.host}/a/b@${TEST_IMAGE_DIGEST}`), 'OCI_DIGEST_MISMATCH');
    // A blob with other bytes.
    const blob = await serve((_req, res) => send(res, 200, 'not the layer'));
    await expectOciError(client().getBlob(`${blob.host}/a/b`, image.layer.digest), 'OCI_DIGEST_MISMATCH');
    // A manifest PUT answered with another digest.
    const put = await serve((_req, res) => send(res, 201, '', { 'docker-content-digest': other }));
    await expectOciError(client().putManifest(`${put.host}/a/b`, 'v1', image.manifest, OCI_MANIFEST), 'OCI_DIGEST_MISMATCH');
    // Bytes that do not have the digest they are put under: refused before sending.
    await expectOciError(client().putManifest(`${put.host}/a/b`, other, image.manifest, OCI_MANIFEST), 'OCI_DIGEST_MISMATCH');
  });

  it('a Docker-Content-Digest that is not a digest: OCI_RESPONSE_INVALID', async () => {
    const { host } = await serve((_req, res) => send(res, 200, image.manifest, { 'content-type': OCI_MANIFEST, 'docker-content-digest': 'sha256:nope' }));
    await expectOciError(client().getManifest(`${host}/a/b:v1`), 'OCI_RESPONSE_INVALID');
  });

  it('a HEAD without Docker-Content-Digest falls back to a GET and hashes the bytes', async () => {
    const { host, server } = await serve((req, res) =>
      req.method === 'HEAD' ? send(res, 200, '', { 'content-type': OCI_MANIFEST }) : send(res, 200, image.manifest, { 'content-type': OCI_MANIFEST }),
    );
    expect(await client().resolveDigest(`${host}/a/b:v1`)).toEqual({ mediaType: OCI_MANIFEST, digest: TEST_IMAGE_DIGEST, size: image.manifest.length });
    expect(server.hits).toBe(2);
  });

  it('500 then 200, and 429 then 200: retried', async () => {
    const flaky = await serve((_req, res, hit) => (hit === 0 ? send(res, 500, 'oops') : send(res, 200, image.manifest, manifestHeaders)));
    expect((await client().getManifest(`${flaky.host}/a/b:v1`)).descriptor.digest).toBe(TEST_IMAGE_DIGEST);
    expect(flaky.server.hits).toBe(2);
    const limited = await serve((_req, res, hit) => (hit === 0 ? send(res, 429, '', { 'retry-after': '0' }) : send(res, 200, image.manifest, manifestHeaders)));
    expect((await client().getManifest(`${limited.host}/a/b:v1`)).descriptor.digest).toBe(TEST_IMAGE_DIGEST);
  });

  it('5xx or 429 on every attempt: OCI_REGISTRY_ERROR with the status', async () => {
    const down = await serve((_req, res) => send(res, 503, 'down'));
    const err = await expectOciError(client().getManifest(`${down.host}/a/b:v1`), 'OCI_REGISTRY_ERROR');
    expect(err.details?.status).toBe(503);
    expect(down.server.hits).toBe(3);
    const limited = await serve((_req, res) => send(res, 429, '', { 'retry-after': '0' }));
    expect((await expectOciError(client().listTags(`${limited.host}/a/b`), 'OCI_REGISTRY_ERROR')).details?.status).toBe(429);
  });

  it('a plain-http loopback registry without allowInsecure is reached over https: OCI_NETWORK with a hint', async () => {
    const { host, server } = await serve((_req, res) => send(res, 200));
    const err = await expectOciError(createRegistryClient({ http: { retries: 0 } }).listTags(`${host}/a/b`), 'OCI_NETWORK');
    expect(err.hint).toBeTruthy();
    expect(server.hits).toBe(0);
  });

  it('a registry that never answers: OCI_TIMEOUT; one that is gone: OCI_NETWORK', async () => {
    const slow = await serve(() => undefined);
    await expectOciError(client({ http: { timeoutMs: 100, retries: 1 } }).getManifest(`${slow.host}/a/b:v1`), 'OCI_TIMEOUT');
    const gone = await serve(() => undefined);
    await gone.server.close();
    await expectOciError(client({ http: { retries: 0 } }).getManifest(`${gone.host}/a/b:v1`), 'OCI_NETWORK');
  });

  it('registry error bodies: codes kept (sanitised), messages bounded, secrets blanked', async () => {
    const message = `denied for hunter2-password-x \u0007${'z'.repeat(2000)}`;
    const body = JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message }, { code: 'evil\u001b[31mCODE', message: 'b' }, { code: 7 }] });
    const { host } = await serve((_req, res) => send(res, 400, body, { 'content-type': 'application/json' }));
    const err = await expectOciError(client({ credentials: { username: 'u', password: 'hunter2-password-x' } }).listTags(`${host}/a/b`), 'OCI_REGISTRY_ERROR');
    expect(err.details?.registryCodes).toEqual(['MANIFEST_INVALID']);
    expect(err.message.length).toBeLessThan(1000);
    expect(err.message).not.toMatch(/\u0007|\u001b/);
    // The client never sent the password (no challenge), but a registry that knows it cannot echo it either.
    const echoed = await serve((req, res) => {
      if (!req.headers.authorization) return send(res, 401, '', { 'www-authenticate': 'Basic realm="r"' });
      send(res, 403, JSON.stringify({ errors: [{ code: 'DENIED', message: `bad password hunter2-password-x` }] }), { 'content-type': 'application/json' });
    });
    const denied = await expectOciError(client({ credentials: { username: 'u', password: 'hunter2-password-x' } }).listTags(`${echoed.host}/a/b`), 'OCI_AUTH_FAILED');
    expect(JSON.stringify([denied.message, denied.details])).not.toContain('hunter2-password-x');
    expect(denied.details?.registryCodes).toEqual(['DENIED']);
  });

  it('a 404 for a manifest is OCI_NOT_FOUND whatever the body', async () => {
    const { host } = await serve((_req, res) => send(res, 404, '404 page not found', { 'content-type': 'text/plain' }));
    await expectOciError(client().getManifest(`${host}/a/b:v1`), 'OCI_NOT_FOUND');
  });
});

describe('redirects', () => {
  it('endless redirects on a blob GET: OCI_REDIRECT_INVALID', async () => {
    const { host, server } = await serve((_req, res, hit) => send(res, 307, '', { location: `/v2/a/b/blobs/${image.layer.digest}?hop=${hit}` }));
    await expectOciError(client().getBlob(`${host}/a/b`, image.layer.digest), 'OCI_REDIRECT_INVALID');
    expect(server.hits).toBe(6);
  });

  it('a redirect without Location: OCI_REDIRECT_INVALID', async () => {
    const { host } = await serve((_req, res) => send(res, 302));
    await expectOciError(client().getBlob(`${host}/a/b`, image.layer.digest), 'OCI_REDIRECT_INVALID');
  });

  it('a blob redirected to another origin is fetched there without the Authorization header', async () => {
    const seen: (string | undefined)[] = [];
    const storage = await serve((req, res) => {
      seen.push(req.headers.authorization);
      send(res, 200, image.layer.bytes);
    });
    const registry = await serve((req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('u:secret-pass').toString('base64')}`) return send(res, 401, '', { 'www-authenticate': 'Basic realm="r"' });
      send(res, 307, '', { location: `${storage.server.url}/storage/layer?sig=abc` });
    });
    const bytes = await client({ credentials: { username: 'u', password: 'secret-pass' } }).getBlob(`${registry.host}/a/b`, image.layer.digest);
    expect(bytes).toEqual(image.layer.bytes);
    expect(seen).toEqual([undefined]);
  });

  it('a redirect to plain http on a host that is not loopback: OCI_INSECURE_REFUSED, nothing sent there', async () => {
    const { host } = await serve((_req, res) => send(res, 302, '', { location: 'http://storage.example/layer' }));
    await expectOciError(client().getBlob(`${host}/a/b`, image.layer.digest), 'OCI_INSECURE_REFUSED');
  });
});

describe('uploads', () => {
  it('an upload Location to plain http elsewhere: OCI_INSECURE_REFUSED', async () => {
    const { host } = await serve((req, res) => (req.method === 'HEAD' ? send(res, 404) : send(res, 202, '', { location: 'http://uploads.example/u/1' })));
    await expectOciError(client().pushBlob(`${host}/a/b`, new Uint8Array([1])), 'OCI_INSECURE_REFUSED');
  });

  it('an upload start without Location, or a refused chunk: typed errors', async () => {
    const noLocation = await serve((req, res) => (req.method === 'HEAD' ? send(res, 404) : send(res, 202)));
    await expectOciError(client().pushBlob(`${noLocation.host}/a/b`, new Uint8Array([1])), 'OCI_RESPONSE_INVALID');
    const refused = await serve((req, res) => {
      if (req.method === 'HEAD') return send(res, 404);
      if (req.method === 'POST') return send(res, 202, '', { location: '/v2/a/b/blobs/uploads/x' });
      send(res, 416, JSON.stringify({ errors: [{ code: 'BLOB_UPLOAD_INVALID' }] }), { 'content-type': 'application/json' });
    });
    const err = await expectOciError(client().pushBlob(`${refused.host}/a/b`, new Uint8Array(10), { chunkSize: 4 }), 'OCI_REGISTRY_ERROR');
    expect(err.details).toMatchObject({ status: 416, registryCodes: ['BLOB_UPLOAD_INVALID'] });
  });

  it('appends digest= with & to a Location that has a query, and sends Content-Range on chunks', async () => {
    const seen: { method?: string; url?: string; range?: string; body: string }[] = [];
    const { host } = await serve((req, res, _hit, body) => {
      seen.push({ method: req.method, url: req.url, range: req.headers['content-range'], body });
      if (req.method === 'HEAD') return send(res, 404);
      if (req.method === 'POST') return send(res, 202, '', { location: `http://${req.headers.host}/upload/1?_state=a%2Bb%3D` });
      if (req.method === 'PATCH') return send(res, 202, '', { location: `/upload/2?_state=c` });
      send(res, 201);
    });
    const bytes = new TextEncoder().encode('abcdefghij');
    await client().pushBlob(`${host}/a/b`, bytes, { chunkSize: 4 });
    const digest = encodeURIComponent(digestOf(bytes));
    expect(seen.map(({ method, url, range, body }) => [method, url, range, body])).toEqual([
      ['HEAD', `/v2/a/b/blobs/${digestOf(bytes)}`, undefined, ''],
      ['POST', '/v2/a/b/blobs/uploads/', undefined, ''],
      ['PATCH', '/upload/1?_state=a%2Bb%3D', '0-3', 'abcd'],
      ['PATCH', '/upload/2?_state=c', '4-7', 'efgh'],
      ['PATCH', '/upload/2?_state=c', '8-9', 'ij'],
      ['PUT', `/upload/2?_state=c&digest=${digest}`, undefined, ''],
    ]);
  });
});

describe('auth against scripted servers', () => {
  it('a 401 without a challenge, or with only unknown schemes: OCI_AUTH_CHALLENGE_INVALID', async () => {
    const bare = await serve((_req, res) => send(res, 401));
    await expectOciError(client().listTags(`${bare.host}/a/b`), 'OCI_AUTH_CHALLENGE_INVALID');
    const negotiate = await serve((_req, res) => send(res, 401, '', { 'www-authenticate': 'Negotiate' }));
    await expectOciError(client().listTags(`${negotiate.host}/a/b`), 'OCI_AUTH_CHALLENGE_INVALID');
    const garbled = await serve((_req, res) => send(res, 401, '', { 'www-authenticate': 'Bearer realm="unterminated' }));
    await expectOciError(client().listTags(`${garbled.host}/a/b`), 'OCI_AUTH_CHALLENGE_INVALID');
    const noRealm = await serve((_req, res) => send(res, 401, '', { 'www-authenticate': 'Bearer service="x"' }));
    await expectOciError(client().listTags(`${noRealm.host}/a/b`), 'OCI_AUTH_CHALLENGE_INVALID');
    const relativeRealm = await serve((_req, res) => send(res, 401, '', { 'www-authenticate': 'Bearer realm="/token"' }));
    await expectOciError(client().listTags(`${relativeRealm.host}/a/b`), 'OCI_AUTH_CHALLENGE_INVALID');
  });

  it('a token realm on plain http elsewhere: OCI_INSECURE_REFUSED, the credentials not sent', async () => {
    const { host } = await serve((_req, res) => send(res, 401, '', { 'www-authenticate': 'Bearer realm="http://auth.example/token",service="s"' }));
    await expectOciError(client({ credentials: { username: 'u', password: 'p' } }).listTags(`${host}/a/b`), 'OCI_INSECURE_REFUSED');
  });

  it('a token server echoing the Basic header, decoded or not, at any status: no form of the credentials in the error', async () => {
    // Short and long passwords; the echo as sent, as user:password, base64url, lower case, and inside a longer base64 text.
    for (const [username, password, status] of [['u', 'pw', 401], ['ci-user', 'a-long-password-42', 403], ['bob', 's3', 400], ['alice', 'x', 500]] as const) {
      const { host } = await serve((req, res) => {
        if (!req.url?.startsWith('/token')) return send(res, 401, '', { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="s"` });
        const header = req.headers.authorization ?? '';
        const pair = Buffer.from(header.slice(6), 'base64').toString('utf8');
        const echoes = [header, pair, Buffer.from(pair).toString('base64url'), header.toLowerCase(), Buffer.from(`user=${pair};`).toString('base64')];
        const message = `refused ${echoes.join(' | ')}`;
        send(res, status, JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message }], message, details: message }), { 'content-type': 'application/json' });
      });
      const err = (await client({ credentials: { username, password }, http: { retries: 0 } }).listTags(`${host}/a/b`).catch((e: unknown) => e)) as OciError;
      expect(err).toBeInstanceOf(OciError);
      const shown = JSON.stringify([err.message, err.details, err.hint, (err.cause as Error | undefined)?.message]);
      const basic = Buffer.from(`${username}:${password}`).toString('base64');
      for (const secret of [basic.replace(/=+$/, ''), `${username}:${password}`, Buffer.from(`${username}:${password}`).toString('base64url')]) {
        expect(shown.toLowerCase(), `${password} at ${status}`).not.toContain(secret.toLowerCase());
      }
      expect(shown).not.toContain(Buffer.from(`user=${username}:${password};`).toString('base64').slice(8, 16));
    }
  });

  it('a registry writing the credentials it was sent into a redirect, a challenge or a realm: no form of them in the error', async () => {
    const password = 'glpat-Secr3tToken_xyz';
    const pair = `alice:${password}`;
    const elsewhere = await serve((_req, res) => send(res, 404));
    const param = password.replace(/-/g, '');
    // What the registry answers for the blob once it holds the credentials (Basic first, as registries ask).
    const cases: [string, (res: ServerResponse) => void][] = [
      ['a redirect to plain http elsewhere', (res) => send(res, 302, '', { location: `http://evil.example/${encodeURIComponent(pair)}?x=1` })],
      ['a redirect to another scheme', (res) => send(res, 302, '', { location: `${param}:/x` })],
      ['a redirect to a loopback server that fails', (res) => send(res, 302, '', { location: `${elsewhere.server.url}/steal/${encodeURIComponent(pair)}/${password}` })],
      ['an unregistered scheme', (res) => send(res, 401, '', { 'www-authenticate': password })],
      ['a realm that is not a URL', (res) => send(res, 401, '', { 'www-authenticate': `Bearer realm="${password}"` })],
      ['a realm of another scheme', (res) => send(res, 401, '', { 'www-authenticate': `Bearer realm="${param}:/token"` })],
      ['a challenge that does not parse', (res) => send(res, 401, '', { 'www-authenticate': `Bearer realm="https://x" ${password}` })],
      ['a parameter twice', (res) => send(res, 401, '', { 'www-authenticate': `Bearer realm="https://x",${param}=1,${param}=2` })],
    ];
    for (const [name, answer] of cases) {
      const { host } = await serve((req, res) => {
        if (!req.headers.authorization) return send(res, 401, '', { 'www-authenticate': 'Basic realm="r"' });
        if (req.url?.includes('/manifests/')) return send(res, 200, image.manifest, manifestHeaders);
        answer(res);
      });
      const registry = client({ credentials: { username: 'alice', password }, http: { retries: 0 } });
      await registry.getManifest(`${host}/a/b:v1`);
      const err = (await registry.getBlob(`${host}/a/b`, image.layer.digest).catch((e: unknown) => e)) as OciError;
      expect(err, name).toBeInstanceOf(OciError);
      const shown = JSON.stringify([err.message, err.details, err.hint, (err.cause as Error | undefined)?.message, (err.cause as { details?: unknown } | undefined)?.details]);
      expect(shown.toLowerCase(), name).not.toContain('secr3t');
    }
  });

  it('token answers that are not tokens: OCI_TOKEN_INVALID', async () => {
    for (const body of ['not json', '{}', '{"token":""}', '{"token":"has space"}', `{"token":"${'t'.repeat(20000)}"}`, '{"token":"ok","expires_in":"soon"}']) {
      const { host } = await serve((req, res) => {
        if (req.url?.startsWith('/token')) return send(res, 200, body, { 'content-type': 'application/json' });
        send(res, 401, '', { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="s"` });
      });
      await expectOciError(client({ credentials: { username: 'u', password: 'p' } }).listTags(`${host}/a/b`), 'OCI_TOKEN_INVALID');
    }
  });

  it('a token answer over the limits of a service response is refused as such, naming the limit', async () => {
    const { host } = await serve((req, res) => {
      if (req.url?.startsWith('/token')) return send(res, 200, deepJson, { 'content-type': 'application/json' });
      send(res, 401, '', { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="s"` });
    });
    const err = await expectOciError(client({ credentials: { username: 'u', password: 'p' } }).listTags(`${host}/a/b`), 'OCI_TOKEN_INVALID');
    expect(err.message).toContain('service response: expected JSON nested at most 100 levels deep');
    expect(err.message).not.toContain('not one');
  });

  it('the token flow: service and scope sent, Basic to the realm, access_token accepted, the token used', async () => {
    const seen: string[] = [];
    const { host } = await serve((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
      if (req.url?.startsWith('/token')) return send(res, 200, '{"access_token":"tok-123","expires_in":300}', { 'content-type': 'application/json' });
      if (req.headers.authorization !== 'Bearer tok-123') {
        return send(res, 401, '', { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="reg",scope="repository:a/b:pull"` });
      }
      send(res, 200, '{"name":"a/b","tags":["v1"]}', { 'content-type': 'application/json' });
    });
    expect(await client({ credentials: { username: 'u', password: 'p' } }).listTags(`${host}/a/b`)).toEqual(['v1']);
    expect(seen).toEqual([
      'GET /v2/a/b/tags/list -',
      `GET /token?service=reg&scope=repository%3Aa%2Fb%3Apull Basic ${Buffer.from('u:p').toString('base64')}`,
      'GET /v2/a/b/tags/list Bearer tok-123',
    ]);
  });

  it('asks the token server for the scopes the challenge names and for the access the request needs', async () => {
    const tokenQueries: string[] = [];
    const { host } = await serve((req, res) => {
      if (req.url?.startsWith('/token')) {
        tokenQueries.push(new URL(req.url, 'http://x').searchParams.getAll('scope').join(' | '));
        return send(res, 200, '{"token":"t"}', { 'content-type': 'application/json' });
      }
      if (req.headers.authorization !== 'Bearer t') {
        return send(res, 401, '', { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",scope="repository:a/b:pull"` });
      }
      send(res, 200);
    });
    expect(await client({ credentials: { username: 'u', password: 'p' } }).blobExists(`${host}/a/b`, TEST_IMAGE_DIGEST)).toBe(true);
    await client({ credentials: { username: 'u', password: 'p' } }).pushBlob(`${host}/a/b`, new Uint8Array([1]));
    expect(tokenQueries).toEqual(['repository:a/b:pull', 'repository:a/b:pull | repository:a/b:pull,push']);
  });

  it('an anonymous token flow works without credentials; a token server that refuses: OCI_AUTH_REQUIRED', async () => {
    const open = await serve((req, res) => {
      if (req.url?.startsWith('/token')) return send(res, 200, '{"token":"anon"}', { 'content-type': 'application/json' });
      if (req.headers.authorization !== 'Bearer anon') return send(res, 401, '', { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token"` });
      send(res, 200, '{"tags":null}', { 'content-type': 'application/json' });
    });
    expect(await client().listTags(`${open.host}/a/b`)).toEqual([]);
    const closed = await serve((req, res) => send(res, 401, '', { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token"` }));
    await expectOciError(client().listTags(`${closed.host}/a/b`), 'OCI_AUTH_REQUIRED');
  });

  it('a registry that refuses a fresh token again: OCI_AUTH_FAILED, no loop', async () => {
    const { host, server } = await serve((req, res) => {
      if (req.url?.startsWith('/token')) return send(res, 200, '{"token":"same"}', { 'content-type': 'application/json' });
      send(res, 401, '', { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",error="insufficient_scope"` });
    });
    await expectOciError(client({ credentials: { username: 'u', password: 'p' } }).listTags(`${host}/a/b`), 'OCI_AUTH_FAILED');
    expect(server.hits).toBe(3);
  });
});

describe('referrers against scripted servers', () => {
  const subject = TEST_IMAGE_DIGEST;
  const entry = (n: number) => ({ mediaType: OCI_MANIFEST, digest: digestOf(new Uint8Array([n])), size: n, artifactType: 'x/y' });

  it('follows Link rel="next" pages', async () => {
    const { host } = await serve((req, res) => {
      const second = req.url?.includes('page=2');
      send(res, 200, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry(second ? 2 : 1)] }), {
        'content-type': OCI_INDEX,
        ...(second ? {} : { link: `</v2/a/b/referrers/${subject}?page=2>; rel="next"` }),
      });
    });
    const found = await client().listReferrers(`${host}/a/b`, subject);
    expect(found).toEqual({ manifests: [entry(1), entry(2)], via: 'referrers-api' });
  });

  it('endless pages, or a next page on another origin: OCI_RESPONSE_INVALID', async () => {
    const endless = await serve((_req, res, hit) =>
      send(res, 200, JSON.stringify({ schemaVersion: 2, manifests: [] }), { 'content-type': OCI_INDEX, link: `</v2/a/b/referrers/${subject}?page=${hit + 2}>; rel="next"` }),
    );
    await expectOciError(client().listReferrers(`${endless.host}/a/b`, subject), 'OCI_RESPONSE_INVALID');
    const away = await serve((_req, res) =>
      send(res, 200, JSON.stringify({ schemaVersion: 2, manifests: [] }), { 'content-type': OCI_INDEX, link: '<http://127.0.0.2:1/next>; rel="next"' }),
    );
    await expectOciError(client().listReferrers(`${away.host}/a/b`, subject), 'OCI_RESPONSE_INVALID');
  });

  it('a 200 that is not an index falls back to the tag schema (as ggcr); a missing tag means none', async () => {
    const seen: string[] = [];
    const { host } = await serve((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url?.includes('/referrers/')) return send(res, 200, '{}', { 'content-type': 'application/json' });
      send(res, 404, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', { 'content-type': 'application/json' });
    });
    expect(await client().listReferrers(`${host}/a/b`, subject)).toEqual({ manifests: [], via: 'tag-schema' });
    expect(seen).toEqual([`GET /v2/a/b/referrers/${subject}`, `GET /v2/a/b/manifests/sha256-${subject.slice(7)}`]);
  });

  it('reads a full list: 10,000 annotated referrers in one referrers page, or in the fallback tag index', async () => {
    // As cosign attaches a sigstore bundle: artifactType and three annotations each.
    const annotated = (n: number) => ({
      ...entry(n),
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1', 'org.opencontainers.image.created': '2025-01-01T00:00:00Z' },
    });
    const index = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: Array.from({ length: 10_000 }, (_, n) => annotated(n)) });
    expect(index.length).toBeLessThan(4 * 1024 * 1024);
    const api = await serve((_req, res) => send(res, 200, index, { 'content-type': OCI_INDEX }));
    expect((await client().listReferrers(`${api.host}/a/b`, subject)).manifests).toHaveLength(10_000);
    const tagged = await serve((req, res) => {
      if (req.url?.includes('/referrers/')) return send(res, 404, '{}', { 'content-type': 'application/json' });
      send(res, 200, index, { 'content-type': OCI_INDEX, 'docker-content-digest': digestOf(new TextEncoder().encode(index)) });
    });
    expect(await client().listReferrers(`${tagged.host}/a/b`, subject)).toMatchObject({ manifests: { length: 10_000 }, via: 'tag-schema' });
  });

  it('a referrers page over the limits is refused naming the limit, not as an index without manifests', async () => {
    const { host } = await serve((_req, res) => send(res, 200, deepJson, { 'content-type': OCI_INDEX }));
    const err = await expectOciError(client().listReferrers(`${host}/a/b`, subject), 'OCI_MANIFEST_INVALID');
    expect(err.message).toContain('OCI manifest: expected JSON nested at most 100 levels deep');
  });

  it('an index with a bad descriptor: OCI_MANIFEST_INVALID', async () => {
    const bad = [{ ...entry(1), digest: 'sha256:short' }, { ...entry(1), size: -1 }, { ...entry(1), annotations: { a: 1 } }, 'text'];
    for (const item of bad) {
      const { host } = await serve((_req, res) => send(res, 200, JSON.stringify({ schemaVersion: 2, manifests: [item] }), { 'content-type': OCI_INDEX }));
      await expectOciError(client().listReferrers(`${host}/a/b`, subject), 'OCI_MANIFEST_INVALID');
    }
  });

  it('an error other than 404/400 from the referrers API is not taken for "none"', async () => {
    const { host } = await serve((_req, res) => send(res, 403, '{"errors":[{"code":"DENIED"}]}', { 'content-type': 'application/json' }));
    await expectOciError(client().listReferrers(`${host}/a/b`, subject), 'OCI_AUTH_FAILED');
  });
});
