import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Verifier } from '@sigil/verify';
import { floodResponse } from './helpers.js';
import { createRegistryClient, digestOf, OCI_INDEX, OCI_MANIFEST, verifyImage, verifyImageAttestations, type ImageSignatureError } from '../src/index.js';

// A registry that lies and stalls while an image's signatures are read: sizes are bounded by
// the descriptors, the number of signatures examined is capped, `.sig` annotations are read
// before any payload, and a deadline ends the whole verification however slow the registry.
const IMAGE = digestOf(new TextEncoder().encode('the image manifest'));
const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const SIG_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
const bytes = (text: string) => new TextEncoder().encode(text);

interface Script {
  referrers?: number;
  /** A referrer manifest served as it is, listed with its true digest and size. */
  referrerBody?: string;
  referrerManifest?: (res: ServerResponse) => void;
  sigLayers?: number;
  blob?: (res: ServerResponse) => void;
  stall?: boolean;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => (server.closeAllConnections(), server.close(done)))));
});

/** A scripted registry for `a/b:v1`; `seen` lists the requests it got. */
async function registry(script: Script): Promise<{ host: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '';
    seen.push(`${req.method} ${path}`);
    if (script.stall) return; // never answers
    if (req.method === 'HEAD' && path === '/v2/a/b/manifests/v1') {
      return void res.writeHead(200, { 'docker-content-digest': IMAGE, 'content-type': OCI_MANIFEST, 'content-length': '300' }).end();
    }
    if (path.startsWith('/v2/a/b/referrers/')) {
      const body = script.referrerBody === undefined ? undefined : bytes(script.referrerBody);
      const manifests = Array.from({ length: script.referrers ?? 0 }, (_, i) => ({ mediaType: OCI_MANIFEST, digest: digestOf(body ?? bytes(`referrer ${i}`)), size: body?.length ?? 200, artifactType: BUNDLE_TYPE }));
      return void res.writeHead(200, { 'content-type': OCI_INDEX }).end(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
    }
    if (path === `/v2/a/b/manifests/${IMAGE.replace(':', '-')}.sig`) {
      const layers = Array.from({ length: script.sigLayers ?? 0 }, (_, i) => ({ mediaType: SIG_TYPE, digest: digestOf(bytes(`payload ${i}`)), size: 250 }));
      const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(bytes('{}')), size: 2 }, layers };
      return void res.writeHead(200, { 'content-type': OCI_MANIFEST }).end(JSON.stringify(manifest));
    }
    if (path.startsWith('/v2/a/b/manifests/sha256:') && script.referrerBody !== undefined) return void res.writeHead(200, { 'content-type': OCI_MANIFEST }).end(script.referrerBody);
    if (path.startsWith('/v2/a/b/manifests/sha256:') && script.referrerManifest) return script.referrerManifest(res);
    if (path.startsWith('/v2/a/b/blobs/') && script.blob) return script.blob(res);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]}');
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const flood = (res: ServerResponse, type: string) => floodResponse(res, type, 8 * 1024 * 1024);

const client = (http: Record<string, unknown> = {}) => createRegistryClient({ allowInsecure: true, http: { retries: 1, retryDelayMs: 1, timeoutMs: 10_000, ...http } });
// Nothing here gets as far as a signature check.
const verifier = { verify: () => Promise.reject(new Error('not reached')) } as unknown as Verifier;
const policy = {} as never;

async function failuresOf(promise: Promise<unknown>): Promise<{ code: string; failures: { source: string; code: string; message: string }[] }> {
  const err = (await promise.then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e,
  )) as ImageSignatureError;
  return { code: err.code, failures: (err.details?.failures as never) ?? [] };
}

describe('a hostile registry while signatures are read', () => {
  it('a referrer manifest larger than its descriptor says: cut at the descriptor size (OCI_TOO_LARGE)', async () => {
    const { host } = await registry({ referrers: 2, referrerManifest: (res) => flood(res, OCI_MANIFEST) });
    const { code, failures } = await failuresOf(verifyImage(`${host}/a/b:v1`, { client: client(), verifier, policy }));
    expect(code).toBe('IMAGE_NO_VALID_SIGNATURE');
    expect(failures.map((f) => f.code)).toEqual(['OCI_TOO_LARGE', 'OCI_TOO_LARGE']);
    expect(failures[0]!.message).toContain('at most 200 bytes');
  });

  it('a bundle blob larger than its layer descriptor says: cut at that size; one that claims over 1 MiB is not fetched', async () => {
    const referrer = (size: number) => JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: BUNDLE_TYPE, config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(bytes('{}')), size: 2 }, layers: [{ mediaType: BUNDLE_TYPE, digest: digestOf(bytes('bundle')), size }] });
    for (const [size, expected, blobGets] of [[300, 'at most 300 bytes', 1], [5 * 1024 * 1024, 'at most 1048576 bytes, found a descriptor of 5242880', 0]] as const) {
      const manifest = referrer(size);
      const { host, seen } = await registry({ referrers: 1, referrerBody: manifest, blob: (res) => flood(res, 'application/octet-stream') });
      const { failures } = await failuresOf(verifyImage(`${host}/a/b:v1`, { client: client(), verifier, policy }));
      expect(failures.map((f) => f.code)).toEqual(['OCI_TOO_LARGE']);
      expect(failures[0]!.message).toContain(expected);
      expect(seen.filter((r) => r.includes('/blobs/'))).toHaveLength(blobGets);
    }
  });

  it('.sig layers: annotations are read before any payload, so layers without a signature cost no download', async () => {
    const { host, seen } = await registry({ sigLayers: 3, blob: (res) => flood(res, 'application/octet-stream') });
    const { failures } = await failuresOf(verifyImage(`${host}/a/b:v1`, { client: client(), verifier, policy }));
    expect(failures.map((f) => f.code)).toEqual(['IMAGE_SIGNATURE_LAYER_INVALID', 'IMAGE_SIGNATURE_LAYER_INVALID', 'IMAGE_SIGNATURE_LAYER_INVALID']);
    expect(seen.filter((r) => r.includes('/blobs/'))).toEqual([]);
  });

  it('many referrers: at most 100 examined (cosign\'s limit), whatever the registry lists', async () => {
    const { host, seen } = await registry({ referrers: 250 });
    const attested = verifyImageAttestations(`${host}/a/b:v1`, { client: client(), verifier, policy });
    await expect(attested).rejects.toMatchObject({ code: 'IMAGE_NO_VALID_SIGNATURE' });
    expect(seen.filter((r) => r.startsWith('GET /v2/a/b/manifests/sha256:')).length).toBe(100);
  });

  it('a registry that never answers: the deadline ends the whole verification, retries and all (OCI_TIMEOUT)', async () => {
    const { host, seen } = await registry({ stall: true });
    const started = Date.now();
    const err = (await verifyImage(`${host}/a/b:v1`, { client: client({ retries: 3, timeoutMs: 20_000, signal: AbortSignal.timeout(400) }), verifier, policy }).catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('OCI_TIMEOUT');
    expect(err.message).toContain('deadline');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(seen).toHaveLength(1);
  });
});
