import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual } from '@sigil/encoding';
import { startDockerRegistry, startOciRegistry, type OciRegistry } from '@sigil/registry';
import { createRegistryClient, digestOf, OCI_INDEX, OCI_MANIFEST, referrersTag, type RegistryClient } from '../src/index.js';
import { expectOciError } from './helpers.js';
import { BUNDLE_TYPE, TEST_IMAGE_DIGEST, image, pushImage, pushReferrerFor, randomBytes } from './registry-fixtures.js';

interface Target {
  name: string;
  start(): Promise<{ host: string; close(): Promise<void>; requests?: OciRegistry['requests'] }>;
  via: 'referrers-api' | 'tag-schema';
}

const targets: Target[] = [
  { name: 'in-repo registry with the referrers API', start: () => startOciRegistry(), via: 'referrers-api' },
  { name: 'in-repo registry without the referrers API', start: () => startOciRegistry({ referrersApi: false }), via: 'tag-schema' },
  { name: 'docker-registry 2.8', start: () => startDockerRegistry(), via: 'tag-schema' },
];

describe.each(targets)('$name', ({ start, via }) => {
  let registry: Awaited<ReturnType<Target['start']>>;
  let client: RegistryClient;
  let repo: string;

  beforeAll(async () => {
    registry = await start();
    client = createRegistryClient({ allowInsecure: true, http: { retries: 1, retryDelayMs: 1 } });
    repo = `${registry.host}/test/hello`;
    // Pushed by our own client, the layer in 64-byte PATCH chunks.
    expect(await pushImage(client, repo, 'v1', 64)).toBe(TEST_IMAGE_DIGEST);
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('resolves the tag to the pinned digest (HEAD), and a digest reference to itself', async () => {
    const expected = { mediaType: OCI_MANIFEST, digest: TEST_IMAGE_DIGEST, size: image.manifest.length };
    expect(await client.resolveDigest(`${repo}:v1`)).toEqual(expected);
    expect(await client.resolveDigest(`${repo}@${TEST_IMAGE_DIGEST}`)).toEqual(expected);
    expect(await client.resolveDigest(`${repo}:v1@${TEST_IMAGE_DIGEST}`)).toEqual(expected);
  });

  it('gets the manifest by tag and by digest, byte for byte', async () => {
    for (const ref of [`${repo}:v1`, `${repo}@${TEST_IMAGE_DIGEST}`]) {
      const manifest = await client.getManifest(ref);
      expect(manifest.bytes).toEqual(image.manifest);
      expect(manifest.descriptor).toEqual({ mediaType: OCI_MANIFEST, digest: TEST_IMAGE_DIGEST, size: image.manifest.length });
      expect(manifest.json.layers).toEqual([{ mediaType: image.layer.mediaType, digest: image.layer.digest, size: image.layer.bytes.length }]);
    }
  });

  it('gets blobs, checked against their digest; knows which exist', async () => {
    expect(await client.getBlob(repo, image.layer.digest)).toEqual(image.layer.bytes);
    expect(await client.getBlob(repo, image.config.digest)).toEqual(image.config.bytes);
    expect(await client.blobExists(repo, image.layer.digest)).toBe(true);
    expect(await client.blobExists(repo, digestOf(new TextEncoder().encode('never pushed')))).toBe(false);
  });

  it('uploads a larger blob monolithically and in chunks, both readable back', async () => {
    const big = randomBytes(200_000, 7);
    const chunked = randomBytes(150_001, 9);
    const one = await client.pushBlob(repo, big);
    const before = registry.requests?.length ?? 0;
    const two = await client.pushBlob(repo, chunked, { chunkSize: 32 * 1024 });
    if (registry.requests) expect(registry.requests.slice(before).map((r) => r.method)).toEqual(['HEAD', 'POST', 'PATCH', 'PATCH', 'PATCH', 'PATCH', 'PATCH', 'PUT']);
    expect(one).toEqual({ mediaType: 'application/octet-stream', digest: digestOf(big), size: big.length });
    expect(two.digest).toBe(digestOf(chunked));
    // bytesEqual: toEqual walks 200,000 elements slowly.
    expect(bytesEqual(await client.getBlob(repo, one.digest), big)).toBe(true);
    expect(bytesEqual(await client.getBlob(repo, two.digest), chunked)).toBe(true);
  });

  it('does not upload a blob the registry already has', async () => {
    const before = registry.requests?.length ?? 0;
    await client.pushBlob(repo, image.layer.bytes);
    if (registry.requests) expect(registry.requests.slice(before).map((r) => r.method)).toEqual(['HEAD']);
  });

  it('puts a manifest under another tag and by digest, and lists the tags', async () => {
    expect((await client.putManifest(repo, 'v2', image.manifest, OCI_MANIFEST)).digest).toBe(TEST_IMAGE_DIGEST);
    expect((await client.putManifest(repo, TEST_IMAGE_DIGEST, image.manifest, OCI_MANIFEST)).digest).toBe(TEST_IMAGE_DIGEST);
    expect((await client.listTags(repo)).sort()).toEqual(expect.arrayContaining(['v1', 'v2']));
  });

  it('answers OCI_NOT_FOUND for a missing tag, digest, blob or repository', async () => {
    await expectOciError(client.resolveDigest(`${repo}:missing`), 'OCI_NOT_FOUND');
    await expectOciError(client.getManifest(`${repo}@${digestOf(new Uint8Array([1]))}`), 'OCI_NOT_FOUND');
    await expectOciError(client.getBlob(repo, digestOf(new Uint8Array([2]))), 'OCI_NOT_FOUND');
    await expectOciError(client.getManifest(`${registry.host}/never/pushed:v1`), 'OCI_NOT_FOUND');
  });

  it(`pushes referrers and lists them (${via}), with artifactType and annotations, filtered and deduplicated`, async () => {
    const subject = await client.resolveDigest(`${repo}:v1`);
    expect(await client.listReferrers(repo, subject.digest)).toEqual({ manifests: [], via });

    const first = await pushReferrerFor(client, repo, subject, { annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', n: '1' } });
    const second = await pushReferrerFor(client, repo, subject, { artifactType: 'application/vnd.example.other', content: 'other' });
    expect(first.via).toBe(via);
    expect(second.via).toBe(via);
    // Pushing the same referrer again adds nothing.
    expect((await pushReferrerFor(client, repo, subject, { annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', n: '1' } })).digest).toBe(first.digest);

    const all = await client.listReferrers(repo, subject.digest);
    expect(all.via).toBe(via);
    expect(all.manifests.map((d) => d.digest).sort()).toEqual([first.digest, second.digest].sort());
    const bundle = all.manifests.find((d) => d.digest === first.digest)!;
    expect(bundle).toEqual({
      mediaType: OCI_MANIFEST,
      digest: first.digest,
      size: first.bytes.length,
      artifactType: BUNDLE_TYPE,
      annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', n: '1' },
    });
    const filtered = await client.listReferrers(repo, subject.digest, { artifactType: BUNDLE_TYPE });
    expect(filtered.manifests.map((d) => d.digest)).toEqual([first.digest]);
    // The referrer itself is a manifest like any other.
    expect((await client.getManifest(`${repo}@${first.digest}`)).bytes).toEqual(first.bytes);

    const fallback = await client.getManifest(`${repo}:${referrersTag(subject.digest)}`, [OCI_INDEX]).catch(() => undefined);
    if (via === 'tag-schema') expect(fallback?.descriptor.mediaType).toBe(OCI_INDEX);
    else expect(fallback).toBeUndefined();
  });
});
