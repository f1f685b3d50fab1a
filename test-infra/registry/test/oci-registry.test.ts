import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestImage, pushTestImage, sha256Digest, startOciRegistry, type OciRegistry, type TestImage } from '../src/index.js';
import { ACCEPT_CASES, ACCEPT_OCI, BUNDLE_TYPE, DEFAULT_IMAGE_DIGEST, EMPTY_CONFIG, OCI_INDEX, OCI_MANIFEST, errorCode, json, pushBlob, manifestStatusByAccept, putManifest, readIndex, referrerManifest } from './helpers.js';

// The in-repo registry's endpoints (distribution-spec v1.1), anonymous, referrers API on.
let registry: OciRegistry;
let image: TestImage;
const bytes = (text: string) => new TextEncoder().encode(text);

beforeAll(async () => {
  registry = await startOciRegistry();
  image = buildTestImage();
  await pushTestImage(registry.url, 'test/hello', 'v1', image);
});
afterAll(() => registry.close());

describe('base and manifests', () => {
  it('GET /v2/ answers 200 {} with the API version header', async () => {
    const res = await fetch(`${registry.url}/v2/`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(registry.url).toBe(`http://${registry.host}`);
  });

  it('stores the pushed test image under its pinned digest and serves the exact bytes by tag and digest', async () => {
    expect(image.manifestDigest).toBe(DEFAULT_IMAGE_DIGEST);
    for (const reference of ['v1', DEFAULT_IMAGE_DIGEST]) {
      const res = await fetch(`${registry.url}/v2/test/hello/manifests/${reference}`, { headers: ACCEPT_OCI });
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(image.manifest);
      expect(res.headers.get('content-type')).toBe(OCI_MANIFEST);
      expect(res.headers.get('docker-content-digest')).toBe(DEFAULT_IMAGE_DIGEST);
      expect(res.headers.get('content-length')).toBe(String(image.manifest.length));
      expect(res.headers.get('etag')).toBe(`"${DEFAULT_IMAGE_DIGEST}"`);
    }
  });

  it('HEAD gives the same headers and no body', async () => {
    const res = await fetch(`${registry.url}/v2/test/hello/manifests/v1`, { method: 'HEAD', headers: ACCEPT_OCI });
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-content-digest')).toBe(DEFAULT_IMAGE_DIGEST);
    expect(res.headers.get('content-length')).toBe(String(image.manifest.length));
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it.each(ACCEPT_CASES)('serves an OCI manifest to %s as registry 2.8 does', async (_, accept, status) => {
    expect(await manifestStatusByAccept(registry.url, 'test/hello/manifests/v1', accept)).toEqual(
      status === 200 ? { get: 200, head: 200 } : { get: 404, head: 404, code: 'MANIFEST_UNKNOWN' },
    );
  });

  it('serves an OCI index only to an Accept that names the index type', async () => {
    await putManifest(registry.url, 'test/hello', 'index', json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [image.descriptor] }), OCI_INDEX);
    expect((await manifestStatusByAccept(registry.url, 'test/hello/manifests/index', OCI_MANIFEST)).get).toBe(404);
    expect((await manifestStatusByAccept(registry.url, 'test/hello/manifests/index', `${OCI_MANIFEST}, ${OCI_INDEX}`)).get).toBe(200);
  });

  it('serves the Content-Type it was given, parameters included, when the body agrees', async () => {
    const res = await putManifest(registry.url, 'test/hello', 'typed', image.manifest, `${OCI_MANIFEST}; charset=utf-8`);
    expect(res.status).toBe(201);
    const got = await fetch(`${registry.url}/v2/test/hello/manifests/typed`, { headers: ACCEPT_OCI });
    expect(got.headers.get('content-type')).toBe(`${OCI_MANIFEST}; charset=utf-8`);
  });

  it('answers 201 with Location and Docker-Content-Digest, and no OCI-Subject without a subject', async () => {
    const res = await putManifest(registry.url, 'test/hello', 'again', image.manifest);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v2/test/hello/manifests/${DEFAULT_IMAGE_DIGEST}`);
    expect(res.headers.get('docker-content-digest')).toBe(DEFAULT_IMAGE_DIGEST);
    expect(res.headers.get('oci-subject')).toBeNull();
  });

  it('accepts a PUT by the matching digest and refuses one by another digest (DIGEST_INVALID)', async () => {
    expect((await putManifest(registry.url, 'test/hello', DEFAULT_IMAGE_DIGEST, image.manifest)).status).toBe(201);
    const wrong = await putManifest(registry.url, 'test/hello', `sha256:${'ab'.repeat(32)}`, image.manifest);
    expect(wrong.status).toBe(400);
    expect(await errorCode(wrong)).toBe('DIGEST_INVALID');
  });

  it('refuses a manifest whose config or layer the repository lacks (MANIFEST_BLOB_UNKNOWN)', async () => {
    const other = buildTestImage({ content: 'not pushed\n' });
    const res = await putManifest(registry.url, 'test/hello', 'missing', other.manifest);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('MANIFEST_BLOB_UNKNOWN');
    await pushBlob(registry.url, 'test/hello', other.config.bytes);
    const layerStillMissing = await putManifest(registry.url, 'test/hello', 'missing', other.manifest);
    expect(await errorCode(layerStillMissing)).toBe('MANIFEST_BLOB_UNKNOWN');
    // Blobs belong to a repository: the image's blobs in test/hello do not count for another one.
    const elsewhere = await putManifest(registry.url, 'test/elsewhere', 'v1', image.manifest);
    expect(await errorCode(elsewhere)).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  it('refuses a descriptor whose size differs from the stored blob (SIZE_INVALID)', async () => {
    const manifest = JSON.parse(new TextDecoder().decode(image.manifest));
    manifest.layers[0].size += 1;
    const res = await putManifest(registry.url, 'test/hello', 'wrong-size', json(manifest));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('SIZE_INVALID');
  });

  it.each([
    ['not JSON', bytes('{"schemaVersion":'), OCI_MANIFEST],
    ['not UTF-8', Uint8Array.of(0x7b, 0xff, 0x7d), OCI_MANIFEST],
    ['a JSON array', bytes('[]'), OCI_MANIFEST],
    ['schemaVersion 1', json({ schemaVersion: 1, mediaType: OCI_MANIFEST }), OCI_MANIFEST],
    ['no media type anywhere', json({ schemaVersion: 2, config: {}, layers: [] }), ''],
    ['a body media type other than the Content-Type', json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }), OCI_MANIFEST],
    ['an unknown media type', json({ schemaVersion: 2, mediaType: 'application/x-nonsense' }), 'application/x-nonsense'],
    ['no config', json({ schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [] }), OCI_MANIFEST],
    ['layers not an array', json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'x', digest: `sha256:${'0'.repeat(64)}`, size: 0 }, layers: {} }), OCI_MANIFEST],
    ['a descriptor with a bad digest', json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'x', digest: 'md5:00', size: 0 }, layers: [] }), OCI_MANIFEST],
    ['a descriptor with a negative size', json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'x', digest: `sha256:${'0'.repeat(64)}`, size: -1 }, layers: [] }), OCI_MANIFEST],
    ['annotations that are not strings', json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [], annotations: { a: 1 } }), OCI_INDEX],
    ['a subject that is not a descriptor', json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [], subject: 'sha256:00' }), OCI_INDEX],
    ['an index without manifests', json({ schemaVersion: 2, mediaType: OCI_INDEX }), OCI_INDEX],
  ])('refuses %s (MANIFEST_INVALID)', async (_, body, contentType) => {
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    const res = await fetch(`${registry.url}/v2/test/hello/manifests/bad`, { method: 'PUT', body, headers });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('MANIFEST_INVALID');
  });

  it('takes the media type from the body when the PUT has no Content-Type', async () => {
    const index = json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
    const res = await fetch(`${registry.url}/v2/test/hello/manifests/untyped`, { method: 'PUT', body: index });
    expect(res.status).toBe(201);
    expect((await fetch(`${registry.url}/v2/test/hello/manifests/untyped`, { headers: ACCEPT_OCI })).headers.get('content-type')).toBe(OCI_INDEX);
  });

  it('stores an image index whose manifests exist, and refuses one that points at a missing manifest', async () => {
    const entry = { ...image.descriptor, platform: { architecture: 'amd64', os: 'linux' } };
    const good = await putManifest(registry.url, 'test/hello', 'multi', json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry] }), OCI_INDEX);
    expect(good.status).toBe(201);
    const missing = { ...entry, digest: `sha256:${'1'.repeat(64)}` };
    const bad = await putManifest(registry.url, 'test/hello', 'multi', json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [missing] }), OCI_INDEX);
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  it('answers 404 MANIFEST_UNKNOWN for unknown tags, digests and repositories; HEAD without a body', async () => {
    for (const path of ['test/hello/manifests/nope', `test/hello/manifests/sha256:${'2'.repeat(64)}`, 'no/such/manifests/v1']) {
      const res = await fetch(`${registry.url}/v2/${path}`);
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('MANIFEST_UNKNOWN');
    }
    const head = await fetch(`${registry.url}/v2/test/hello/manifests/nope`, { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('refuses malformed references: TAG_INVALID for a bad tag, DIGEST_INVALID for a bad digest', async () => {
    const tag = await fetch(`${registry.url}/v2/test/hello/manifests/-bad`);
    expect(tag.status).toBe(400);
    expect(await errorCode(tag)).toBe('TAG_INVALID');
    for (const digest of ['sha256:abc', `sha512:${'0'.repeat(128)}`, `SHA256:${'0'.repeat(64)}`]) {
      const res = await fetch(`${registry.url}/v2/test/hello/manifests/${digest}`);
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe('DIGEST_INVALID');
    }
    const long = await putManifest(registry.url, 'test/hello', 'x'.repeat(129), image.manifest);
    expect(await errorCode(long)).toBe('TAG_INVALID');
  });

  it('accepts a digest with a percent-encoded colon', async () => {
    const res = await fetch(`${registry.url}/v2/test/hello/manifests/${encodeURIComponent(DEFAULT_IMAGE_DIGEST)}`, { headers: ACCEPT_OCI });
    expect(res.status).toBe(200);
  });

  it('DELETE by tag removes the tag; by digest, the manifest and every tag on it', async () => {
    const other = buildTestImage({ content: 'to delete\n' });
    await pushTestImage(registry.url, 'test/delete', 'a', other);
    await putManifest(registry.url, 'test/delete', 'b', other.manifest);
    expect((await fetch(`${registry.url}/v2/test/delete/manifests/a`, { method: 'DELETE' })).status).toBe(202);
    expect((await fetch(`${registry.url}/v2/test/delete/manifests/a`, { headers: ACCEPT_OCI })).status).toBe(404);
    expect((await fetch(`${registry.url}/v2/test/delete/manifests/b`, { headers: ACCEPT_OCI })).status).toBe(200);
    expect((await fetch(`${registry.url}/v2/test/delete/manifests/${other.manifestDigest}`, { method: 'DELETE' })).status).toBe(202);
    expect((await fetch(`${registry.url}/v2/test/delete/manifests/b`, { headers: ACCEPT_OCI })).status).toBe(404);
    expect(await (await fetch(`${registry.url}/v2/test/delete/tags/list`)).json()).toEqual({ name: 'test/delete', tags: [] });
    const again = await fetch(`${registry.url}/v2/test/delete/manifests/${other.manifestDigest}`, { method: 'DELETE' });
    expect(await errorCode(again)).toBe('MANIFEST_UNKNOWN');
  });
});

describe('blobs and uploads', () => {
  it('serves blobs with Docker-Content-Digest and Content-Length, on GET and HEAD', async () => {
    const res = await fetch(`${registry.url}/v2/test/hello/blobs/${image.layer.digest}`);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(image.layer.bytes);
    expect(res.headers.get('docker-content-digest')).toBe(image.layer.digest);
    expect(res.headers.get('content-length')).toBe(String(image.layer.bytes.length));
    const head = await fetch(`${registry.url}/v2/test/hello/blobs/${image.config.digest}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(image.config.bytes.length));
  });

  it('answers 404 BLOB_UNKNOWN with the distribution error body, and 400 DIGEST_INVALID for a bad digest', async () => {
    const unknown = `sha256:${'3'.repeat(64)}`;
    const res = await fetch(`${registry.url}/v2/test/hello/blobs/${unknown}`);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toEqual({ errors: [{ code: 'BLOB_UNKNOWN', message: expect.any(String), detail: unknown }] });
    const head = await fetch(`${registry.url}/v2/test/hello/blobs/${unknown}`, { method: 'HEAD' });
    expect(head.status).toBe(404);
    const bad = await fetch(`${registry.url}/v2/test/hello/blobs/sha256:xyz`);
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe('DIGEST_INVALID');
  });

  it('takes a monolithic single POST with ?digest= (201, relative Location)', async () => {
    const blob = bytes('monolithic blob');
    const digest = sha256Digest(blob);
    const res = await fetch(`${registry.url}/v2/test/uploads/blobs/uploads/?digest=${digest}`, { method: 'POST', body: blob });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v2/test/uploads/blobs/${digest}`);
    expect(res.headers.get('docker-content-digest')).toBe(digest);
    expect(new Uint8Array(await (await fetch(`${registry.url}/v2/test/uploads/blobs/${digest}`)).arrayBuffer())).toEqual(blob);
  });

  it('refuses a single POST whose bytes do not match ?digest= (DIGEST_INVALID) and stores nothing', async () => {
    const claimed = sha256Digest(bytes('something else'));
    const res = await fetch(`${registry.url}/v2/test/uploads/blobs/uploads/?digest=${claimed}`, { method: 'POST', body: bytes('these bytes') });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
    expect((await fetch(`${registry.url}/v2/test/uploads/blobs/${claimed}`)).status).toBe(404);
  });

  it('takes a chunked upload: relative Location, Range after each PATCH, 416 on a bad range, PUT ?digest= with the last chunk', async () => {
    const start = await fetch(`${registry.url}/v2/test/uploads/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    const location = start.headers.get('location')!;
    expect(location).toMatch(/^\/v2\/test\/uploads\/blobs\/uploads\/[0-9a-f-]{36}$/);
    expect(start.headers.get('range')).toBe('0-0');
    expect(start.headers.get('docker-upload-uuid')).toBe(location.split('/').at(-1));
    const at = (path: string) => new URL(path, registry.url);

    const first = await fetch(at(location), { method: 'PATCH', body: bytes('0123456789'), headers: { 'content-range': '0-9', 'content-type': 'application/octet-stream' } });
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-9');
    expect(first.headers.get('location')).toBe(location);

    for (const range of ['5-14', '10-12', 'bytes=10-19', 'garbage']) {
      const bad = await fetch(at(location), { method: 'PATCH', body: bytes('abcdefghij'), headers: { 'content-range': range } });
      expect(bad.status).toBe(416);
      expect(bad.headers.get('range')).toBe('0-9');
      expect(await errorCode(bad)).toBe('BLOB_UPLOAD_INVALID');
    }

    const second = await fetch(at(location), { method: 'PATCH', body: bytes('abcdefghij') }); // streamed: no Content-Range
    expect(second.headers.get('range')).toBe('0-19');
    const status = await fetch(at(location));
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-19');

    const whole = bytes('0123456789abcdefghijKLM');
    const digest = sha256Digest(whole);
    const done = await fetch(at(`${location}?digest=${digest}`), { method: 'PUT', body: bytes('KLM'), headers: { 'content-range': '20-22' } });
    expect(done.status).toBe(201);
    expect(done.headers.get('location')).toBe(`/v2/test/uploads/blobs/${digest}`);
    expect(new Uint8Array(await (await fetch(`${registry.url}/v2/test/uploads/blobs/${digest}`)).arrayBuffer())).toEqual(whole);
    expect((await fetch(at(location))).status).toBe(404);
  });

  it('refuses a finishing PUT whose digest does not match the chunks (DIGEST_INVALID); the session is gone', async () => {
    const location = (await fetch(`${registry.url}/v2/test/uploads/blobs/uploads/`, { method: 'POST' })).headers.get('location')!;
    await fetch(new URL(location, registry.url), { method: 'PATCH', body: bytes('chunk') });
    const res = await fetch(new URL(`${location}?digest=${sha256Digest(bytes('other'))}`, registry.url), { method: 'PUT' });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
    const after = await fetch(new URL(location, registry.url), { method: 'PATCH', body: bytes('x') });
    expect(after.status).toBe(404);
    expect(await errorCode(after)).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('refuses a finishing PUT without ?digest= (DIGEST_INVALID) and keeps the session', async () => {
    const location = (await fetch(`${registry.url}/v2/test/uploads/blobs/uploads/`, { method: 'POST' })).headers.get('location')!;
    const res = await fetch(new URL(location, registry.url), { method: 'PUT' });
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
    expect((await fetch(new URL(location, registry.url))).status).toBe(204);
    expect((await fetch(new URL(location, registry.url), { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(new URL(location, registry.url))).status).toBe(404);
  });

  it('knows a session only in its own repository, and never an invented one (BLOB_UPLOAD_UNKNOWN)', async () => {
    const location = (await fetch(`${registry.url}/v2/test/uploads/blobs/uploads/`, { method: 'POST' })).headers.get('location')!;
    const id = location.split('/').at(-1)!;
    for (const path of [`/v2/test/other/blobs/uploads/${id}`, '/v2/test/uploads/blobs/uploads/not-a-session']) {
      const res = await fetch(new URL(path, registry.url), { method: 'PATCH', body: bytes('x') });
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('BLOB_UPLOAD_UNKNOWN');
    }
  });

  it('refuses a POST body without ?digest= (BLOB_UPLOAD_INVALID)', async () => {
    const res = await fetch(`${registry.url}/v2/test/uploads/blobs/uploads/`, { method: 'POST', body: bytes('stray') });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('BLOB_UPLOAD_INVALID');
  });

  it('mounts a blob from another repository (201), and opens a session when it cannot (202)', async () => {
    const mounted = await fetch(`${registry.url}/v2/test/mounted/blobs/uploads/?mount=${image.layer.digest}&from=test/hello`, { method: 'POST' });
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get('docker-content-digest')).toBe(image.layer.digest);
    expect((await fetch(`${registry.url}/v2/test/mounted/blobs/${image.layer.digest}`, { method: 'HEAD' })).status).toBe(200);
    const missing = await fetch(`${registry.url}/v2/test/mounted/blobs/uploads/?mount=sha256:${'4'.repeat(64)}&from=test/hello`, { method: 'POST' });
    expect(missing.status).toBe(202);
  });

  it('DELETE removes a blob', async () => {
    const digest = await pushBlob(registry.url, 'test/uploads', bytes('short-lived'));
    expect((await fetch(`${registry.url}/v2/test/uploads/blobs/${digest}`, { method: 'DELETE' })).status).toBe(202);
    expect((await fetch(`${registry.url}/v2/test/uploads/blobs/${digest}`)).status).toBe(404);
  });
});

describe('referrers', () => {
  const repo = 'test/signed';
  let subject: TestImage;
  let bundleReferrer: string;
  let legacyReferrer: string;

  beforeAll(async () => {
    subject = buildTestImage({ content: 'signed image\n' });
    await pushTestImage(registry.url, repo, 'v1', subject);
    await pushBlob(registry.url, repo, EMPTY_CONFIG);
    const bundleLayer = bytes('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}');
    const legacyLayer = bytes('{"critical":{}}');
    await pushBlob(registry.url, repo, bundleLayer);
    await pushBlob(registry.url, repo, legacyLayer);
    const annotations = { 'dev.sigstore.bundle.content': 'dsse-envelope', 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' };
    const first = referrerManifest(bundleLayer, subject.descriptor, { artifactType: BUNDLE_TYPE, annotations });
    const second = referrerManifest(legacyLayer, subject.descriptor, { configType: 'application/vnd.dev.cosign.artifact.sig.v1+json' });
    bundleReferrer = sha256Digest(first);
    legacyReferrer = sha256Digest(second);
    for (const [manifest, digest] of [[first, bundleReferrer], [second, legacyReferrer]] as const) {
      const res = await putManifest(registry.url, repo, digest, manifest);
      expect(res.status).toBe(201);
      expect(res.headers.get('oci-subject')).toBe(subject.manifestDigest);
    }
  });

  it('lists every referrer of the subject with artifactType (else the config media type) and annotations', async () => {
    const res = await fetch(`${registry.url}/v2/${repo}/referrers/${subject.manifestDigest}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(OCI_INDEX);
    expect(res.headers.get('oci-filters-applied')).toBeNull();
    const index = await readIndex(res);
    expect(index.schemaVersion).toBe(2);
    expect(index.mediaType).toBe(OCI_INDEX);
    const expected = [
      {
        mediaType: OCI_MANIFEST,
        digest: bundleReferrer,
        size: expect.any(Number),
        artifactType: BUNDLE_TYPE,
        annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
      },
      { mediaType: OCI_MANIFEST, digest: legacyReferrer, size: expect.any(Number), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' },
    ].sort((a, b) => (a.digest < b.digest ? -1 : 1));
    expect(index.manifests).toEqual(expected);
    for (const entry of index.manifests) {
      const manifest = await fetch(`${registry.url}/v2/${repo}/manifests/${entry.digest}`, { headers: ACCEPT_OCI });
      expect(Number(manifest.headers.get('content-length'))).toBe(entry.size);
    }
  });

  it('filters by artifactType and says so with OCI-Filters-Applied', async () => {
    const res = await fetch(`${registry.url}/v2/${repo}/referrers/${subject.manifestDigest}?artifactType=${encodeURIComponent(BUNDLE_TYPE)}`);
    expect(res.headers.get('oci-filters-applied')).toBe('artifactType');
    expect((await readIndex(res)).manifests.map((m) => m.digest)).toEqual([bundleReferrer]);
    const none = await fetch(`${registry.url}/v2/${repo}/referrers/${subject.manifestDigest}?artifactType=application/x-none`);
    expect(none.headers.get('oci-filters-applied')).toBe('artifactType');
    expect((await readIndex(none)).manifests).toEqual([]);
  });

  it('answers an empty index (200) for a digest nothing refers to, in any repository', async () => {
    for (const path of [`${repo}/referrers/${image.manifestDigest}`, `never/pushed/referrers/${image.manifestDigest}`]) {
      const res = await fetch(`${registry.url}/v2/${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
    }
  });

  it('lists an index with a subject by its own artifactType, and drops a deleted referrer', async () => {
    const index = json({ schemaVersion: 2, mediaType: OCI_INDEX, artifactType: 'application/x-attestations', manifests: [], subject: subject.descriptor });
    const digest = sha256Digest(index);
    const put = await putManifest(registry.url, repo, digest, index, OCI_INDEX);
    expect(put.headers.get('oci-subject')).toBe(subject.manifestDigest);
    const listed = await readIndex(await fetch(`${registry.url}/v2/${repo}/referrers/${subject.manifestDigest}?artifactType=application/x-attestations`));
    expect(listed.manifests).toEqual([{ mediaType: OCI_INDEX, digest, size: index.length, artifactType: 'application/x-attestations' }]);
    await fetch(`${registry.url}/v2/${repo}/manifests/${digest}`, { method: 'DELETE' });
    const after = await readIndex(await fetch(`${registry.url}/v2/${repo}/referrers/${subject.manifestDigest}`));
    expect(after.manifests.map((m) => m.digest)).not.toContain(digest);
  });

  it('refuses a malformed subject digest (DIGEST_INVALID)', async () => {
    const res = await fetch(`${registry.url}/v2/${repo}/referrers/sha256:nothex`);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
  });
});

describe('tags and the request log', () => {
  it('lists tags in lexical order, paged with n, last and Link', async () => {
    for (const tag of ['b', 'a', 'c']) await putManifest(registry.url, 'test/tags', tag, json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }), OCI_INDEX);
    expect(await (await fetch(`${registry.url}/v2/test/tags/tags/list`)).json()).toEqual({ name: 'test/tags', tags: ['a', 'b', 'c'] });
    const page = await fetch(`${registry.url}/v2/test/tags/tags/list?n=2`);
    expect(await page.json()).toEqual({ name: 'test/tags', tags: ['a', 'b'] });
    expect(page.headers.get('link')).toBe('</v2/test/tags/tags/list?n=2&last=b>; rel="next"');
    const next = await fetch(`${registry.url}/v2/test/tags/tags/list?n=2&last=b`);
    expect(await next.json()).toEqual({ name: 'test/tags', tags: ['c'] });
    expect(next.headers.get('link')).toBeNull();
    expect(await errorCode(await fetch(`${registry.url}/v2/test/tags/tags/list?n=-1`))).toBe('UNSUPPORTED');
  });

  it('answers 404 NAME_UNKNOWN for the tags of an unknown repository', async () => {
    const res = await fetch(`${registry.url}/v2/no/such/repo/tags/list`);
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe('NAME_UNKNOWN');
  });

  it('records every request with its method, path, query and status', async () => {
    const before = registry.requests.length;
    await fetch(`${registry.url}/v2/test/hello/manifests/v1`, { method: 'HEAD', headers: ACCEPT_OCI });
    await fetch(`${registry.url}/v2/test/hello/referrers/${image.manifestDigest}?artifactType=x`);
    expect(registry.requests.slice(before)).toEqual([
      { method: 'HEAD', path: '/v2/test/hello/manifests/v1', query: '', status: 200 },
      { method: 'GET', path: `/v2/test/hello/referrers/${image.manifestDigest}`, query: '?artifactType=x', status: 200 },
    ]);
  });
});
