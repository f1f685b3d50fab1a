import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestImage, startOciRegistry, type OciRegistry } from '@sigil/registry';
import { createRegistryClient, OciError, signImage, verifyImage, type RegistryClient, type SignatureFormat } from '../src/index.js';
import { startSigning, type SigningSetup } from './image-signing-fixture.js';

// Registry faults while signing and verifying images: each ends in a clear typed error or a
// retry, never a hang, and a signing that fails leaves no signature behind.
type Fault = { method: string; path: RegExp; times: number; action: 'status500' | 'drop' | 'huge' };

const CREDENTIALS = { username: 'ci-user', password: 'right-password' };
let signing: SigningSetup;
let registry: OciRegistry;
let proxy: { url: string; host: string; server: Server };
let faults: Fault[] = [];

/** Forwards to the registry, unless a scripted fault matches the request. */
function startProxy(target: string): Promise<typeof proxy> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const fault = faults.find((f) => f.times > 0 && f.method === req.method && f.path.test(req.url ?? ''));
    if (fault) {
      fault.times--;
      if (fault.action === 'drop') return void req.socket.destroy();
      if (fault.action === 'status500') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNKNOWN","message":"boom"}]}');
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(8 * 1024 * 1024) });
      return void res.end(Buffer.alloc(8 * 1024 * 1024, 0x20));
    }
    const upstream = request(new URL(req.url!, target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
      const headers = { ...answer.headers };
      if (typeof headers.location === 'string') headers.location = headers.location.replace(target, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      if (typeof headers['www-authenticate'] === 'string') headers['www-authenticate'] = headers['www-authenticate'].replace(target, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      res.writeHead(answer.statusCode!, headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, server });
    }),
  );
}

/** A client with the registry's credentials, other ones, or none (null). */
const client = (credentials: { username: string; password: string } | null = CREDENTIALS): RegistryClient =>
  createRegistryClient({ allowInsecure: true, ...(credentials ? { credentials } : {}), http: { retries: 2, retryDelayMs: 5, timeoutMs: 5000 } });

let counter = 0;
async function freshImage(): Promise<string> {
  const image = buildTestImage({ content: `faults ${++counter}\n` });
  const ref = `${proxy.host}/faults/image-${counter}:v1`;
  const good = client();
  await good.pushBlob(ref, image.layer.bytes);
  await good.pushBlob(ref, image.config.bytes);
  await good.putManifest(ref, 'v1', image.manifest, image.mediaType);
  return ref;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(
    () => expect.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  expect((err as OciError).code, (err as Error).message).toBe(code);
}

beforeAll(async () => {
  signing = await startSigning();
  registry = await startOciRegistry({ auth: { kind: 'basic', ...CREDENTIALS } });
  proxy = await startProxy(registry.url);
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => proxy?.server.close(resolve));
  await registry?.close();
  await signing?.close();
});
beforeEach(() => {
  faults = [];
});

const verify = (ref: string, with_ = client()) => verifyImage(ref, { client: with_, verifier: signing.verifier, policy: signing.policy() });

describe.each(['bundle', 'legacy'] as SignatureFormat[])('registry faults, %s format', (format) => {
  it('401 without credentials and with wrong ones: typed errors, nothing stored', async () => {
    const ref = await freshImage();
    await expectCode(signImage(ref, { client: client(null), signing: await signing.signing(), format }), 'OCI_AUTH_REQUIRED');
    await expectCode(signImage(ref, { client: client({ username: 'ci-user', password: 'wrong' }), signing: await signing.signing(), format }), 'OCI_AUTH_FAILED');
    await expectCode(verify(ref, client(null)), 'OCI_AUTH_REQUIRED');
    await expect(verify(ref)).rejects.toMatchObject({ code: 'IMAGE_NO_SIGNATURES' });
  });

  it('404: an image that is not there', async () => {
    await expectCode(signImage(`${proxy.host}/faults/missing:v1`, { client: client(), signing: await signing.signing(), format }), 'OCI_NOT_FOUND');
    await expectCode(verify(`${proxy.host}/faults/missing:v1`), 'OCI_NOT_FOUND');
  });

  it('500 then success on the manifest write: retried, and the signature verifies', async () => {
    const ref = await freshImage();
    faults = [{ method: 'PUT', path: /\/manifests\//, times: 1, action: 'status500' }];
    await signImage(ref, { client: client(), signing: await signing.signing(), format });
    expect(faults[0]!.times).toBe(0);
    expect((await verify(ref)).signatures).toHaveLength(1);
  });

  it('a connection that drops on every manifest write: OCI_NETWORK, and no half-written signature', async () => {
    const ref = await freshImage();
    faults = [{ method: 'PUT', path: /\/manifests\//, times: 100, action: 'drop' }];
    await expectCode(signImage(ref, { client: client(), signing: await signing.signing(), format }), 'OCI_NETWORK');
    faults = [];
    await expect(verify(ref)).rejects.toMatchObject({ code: 'IMAGE_NO_SIGNATURES' });
  });
});

describe('oversized answers', () => {
  it('a signature manifest over the size limit: reported as OCI_TOO_LARGE by verify, and a legacy sign writes nothing', async () => {
    const ref = await freshImage();
    await signImage(ref, { client: client(), signing: await signing.signing(), format: 'legacy' });
    faults = [{ method: 'GET', path: /\.sig$/, times: 100, action: 'huge' }];
    const err = await verify(ref).then(
      () => expect.fail('expected IMAGE_NO_VALID_SIGNATURE'),
      (e: { code: string; details: { failures: { code: string }[] } }) => e,
    );
    expect([err.code, err.details.failures.map((f) => f.code)]).toEqual(['IMAGE_NO_VALID_SIGNATURE', ['OCI_TOO_LARGE']]);
    await expectCode(signImage(ref, { client: client(), signing: await signing.signing(), format: 'legacy' }), 'OCI_TOO_LARGE');
    faults = [];
    expect((await verify(ref)).signatures).toHaveLength(1);
  });

  it('a referrers index over the size limit: OCI_TOO_LARGE', async () => {
    const ref = await freshImage();
    faults = [{ method: 'GET', path: /\/referrers\//, times: 100, action: 'huge' }];
    await expectCode(verify(ref), 'OCI_TOO_LARGE');
  });
});
