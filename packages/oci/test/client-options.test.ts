import { describe, expect, it } from 'vitest';
import { createRegistryClient, digestOf, OCI_INDEX, OCI_MANIFEST, parseImageReference, referrersTag, type RegistryClientOptions } from '../src/index.js';
import { expectOciError } from './helpers.js';
import { image, TEST_IMAGE_DIGEST } from './registry-fixtures.js';

/** A client whose fetch records each request and answers 404: no network at all. */
function recording(options: RegistryClientOptions = {}) {
  const calls: { url: string; headers: Headers }[] = [];
  const fetch = async (input: string | URL, init?: RequestInit) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers) });
    return new Response(null, { status: 404 });
  };
  return { calls, client: createRegistryClient({ ...options, http: { fetch, retries: 0 } }) };
}

describe('which URL a registry gets', () => {
  // With allowInsecure, a loopback registry is asked over https first (GET /v2/, as ggcr's
  // ping): this fetch answers https, so https it stays.
  const cases: [string, boolean, string[]][] = [
    ['registry.example:5000/a/b', true, ['https://registry.example:5000/v2/a/b/tags/list']],
    ['10.0.0.1:5000/a/b', true, ['https://10.0.0.1:5000/v2/a/b/tags/list']],
    ['127.0.0.1:5000/a/b', false, ['https://127.0.0.1:5000/v2/a/b/tags/list']],
    ['127.0.0.1:5000/a/b', true, ['https://127.0.0.1:5000/v2/', 'https://127.0.0.1:5000/v2/a/b/tags/list']],
    ['127.1.2.3:5000/a/b', true, ['https://127.1.2.3:5000/v2/', 'https://127.1.2.3:5000/v2/a/b/tags/list']],
    ['localhost:5000/a/b', true, ['https://localhost:5000/v2/', 'https://localhost:5000/v2/a/b/tags/list']],
    ['localhost/a/b', true, ['https://localhost/v2/', 'https://localhost/v2/a/b/tags/list']],
    ['[::1]:5000/a/b', true, ['https://[::1]:5000/v2/', 'https://[::1]:5000/v2/a/b/tags/list']],
    ['[2001:db8::1]:5000/a/b', true, ['https://[2001:db8::1]:5000/v2/a/b/tags/list']],
    ['alpine', true, ['https://registry-1.docker.io/v2/library/alpine/tags/list']],
    ['index.docker.io/foo/bar', false, ['https://registry-1.docker.io/v2/foo/bar/tags/list']],
  ];
  for (const [reference, allowInsecure, urls] of cases) {
    it(`${reference}${allowInsecure ? ' (allowInsecure)' : ''} -> ${urls.at(-1)}`, async () => {
      const { calls, client } = recording({ allowInsecure });
      await expectOciError(client.listTags(reference), 'OCI_NOT_FOUND');
      expect(calls.map((c) => c.url)).toEqual(urls);
    });
  }

  it('allowInsecure, and https gets no answer from a loopback registry: plain http, asked once per client', async () => {
    const calls: string[] = [];
    const fetch = async (input: string | URL) => {
      calls.push(String(input));
      if (String(input).startsWith('https:')) throw new TypeError('fetch failed', { cause: { code: 'EPROTO' } });
      return new Response(null, { status: 404 });
    };
    const client = createRegistryClient({ allowInsecure: true, http: { fetch, retries: 0 } });
    await expectOciError(client.listTags('127.0.0.1:5000/a/b'), 'OCI_NOT_FOUND');
    await expectOciError(client.listTags('127.0.0.1:5000/c/d'), 'OCI_NOT_FOUND');
    expect(calls).toEqual(['https://127.0.0.1:5000/v2/', 'http://127.0.0.1:5000/v2/a/b/tags/list', 'http://127.0.0.1:5000/v2/c/d/tags/list']);
  });

  it('sends a User-Agent, sigil-oci unless told otherwise', async () => {
    const plain = recording();
    await expectOciError(plain.client.listTags('r.example/a'), 'OCI_NOT_FOUND');
    expect(plain.calls[0]!.headers.get('user-agent')).toBe('sigil-oci');
    const named = recording({ userAgent: 'sigil/1.0 (ci)' });
    await expectOciError(named.client.listTags('r.example/a'), 'OCI_NOT_FOUND');
    expect(named.calls[0]!.headers.get('user-agent')).toBe('sigil/1.0 (ci)');
  });

  it('HEAD and GET of manifests ask for OCI and Docker manifests and indexes', async () => {
    const { calls, client } = recording();
    await expectOciError(client.resolveDigest('r.example/a:v1'), 'OCI_NOT_FOUND');
    expect(calls[0]!.headers.get('accept')?.split(', ').sort()).toEqual(
      [OCI_MANIFEST, OCI_INDEX, 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.list.v2+json'].sort(),
    );
  });
});

describe('arguments refused before anything is sent', () => {
  it('bad client options: OCI_INPUT_INVALID', async () => {
    const bad: unknown[] = [
      { allowInsecure: 'yes' },
      { maxManifestBytes: 0 },
      { maxBlobBytes: 1.5 },
      { userAgent: 'a\nb' },
      { userAgent: '' },
      { credentials: 5 },
      { http: null },
    ];
    for (const options of bad) await expectOciError(() => createRegistryClient(options as RegistryClientOptions), 'OCI_INPUT_INVALID');
  });

  it('bad arguments to operations: typed errors, no request', async () => {
    const { calls, client } = recording();
    const repo = 'r.example/a/b';
    const subject = { mediaType: OCI_MANIFEST, digest: TEST_IMAGE_DIGEST, size: image.manifest.length };
    const checks: [() => Promise<unknown>, Parameters<typeof expectOciError>[1]][] = [
      [() => client.getBlob(repo, 'sha256:abc'), 'OCI_REFERENCE_INVALID'],
      [() => client.blobExists(repo, 'md5:abc'), 'OCI_REFERENCE_INVALID'],
      [() => client.getManifest('Not A Reference'), 'OCI_REFERENCE_INVALID'],
      [() => client.getManifest(repo, []), 'OCI_INPUT_INVALID'],
      [() => client.listTags({ registry: 'r.example', repository: 'UPPER' } as never), 'OCI_REFERENCE_INVALID'],
      [() => client.listTags(42 as never), 'OCI_INPUT_INVALID'],
      [() => client.pushBlob(repo, 'text' as never), 'OCI_INPUT_INVALID'],
      [() => client.pushBlob(repo, new Uint8Array(1), { chunkSize: 0 }), 'OCI_INPUT_INVALID'],
      [() => client.putManifest(repo, 'v1', image.manifest, 'application/json'), 'OCI_MEDIA_TYPE_UNSUPPORTED'],
      [() => client.putManifest(repo, 'bad tag', image.manifest, OCI_MANIFEST), 'OCI_REFERENCE_INVALID'],
      [() => client.putManifest(repo, 'v1', new TextEncoder().encode('{'), OCI_MANIFEST), 'OCI_MANIFEST_INVALID'],
      [() => client.putManifest(repo, 'v1', image.manifest, OCI_INDEX), 'OCI_MANIFEST_INVALID'],
      [() => client.putManifest(repo, 'v1', new Uint8Array(5 * 1024 * 1024), OCI_MANIFEST), 'OCI_TOO_LARGE'],
      [() => client.putManifest(repo, digestOf(new Uint8Array([9])), image.manifest, OCI_MANIFEST), 'OCI_DIGEST_MISMATCH'],
      [() => client.listReferrers(repo, 'sha256:zz'), 'OCI_REFERENCE_INVALID'],
      [() => client.listReferrers(repo, TEST_IMAGE_DIGEST, { artifactType: '' }), 'OCI_INPUT_INVALID'],
      // The manifest's subject is not the one given.
      [() => client.pushReferrer(repo, image.manifest, OCI_MANIFEST, subject), 'OCI_MANIFEST_INVALID'],
      [() => client.pushReferrer(repo, image.manifest, OCI_MANIFEST, { ...subject, digest: 'nope' }), 'OCI_INPUT_INVALID'],
      [() => client.pushReferrer(repo, image.manifest, OCI_MANIFEST, { ...subject, size: -1 }), 'OCI_INPUT_INVALID'],
    ];
    for (const [call, code] of checks) await expectOciError(call(), code);
    expect(calls).toEqual([]);
  });

  it('a reference object made by hand is checked like text', async () => {
    const { calls, client } = recording();
    await expectOciError(client.listTags({ ...parseImageReference('r.example/a/b'), repository: '../x' }), 'OCI_REFERENCE_INVALID');
    expect(calls).toEqual([]);
  });
});

describe('referrersTag', () => {
  it('joins the algorithm and the hex with -, the hex cut to 64 characters', async () => {
    expect(referrersTag(TEST_IMAGE_DIGEST)).toBe(`sha256-${TEST_IMAGE_DIGEST.slice(7)}`);
    const sha512 = `sha512:${'0123456789abcdef'.repeat(8)}`;
    expect(referrersTag(sha512)).toBe(`sha512-${'0123456789abcdef'.repeat(4)}`);
    await expectOciError(() => referrersTag('sha256:abc'), 'OCI_REFERENCE_INVALID');
  });
});
