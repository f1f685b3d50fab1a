import { describe, expect, it } from 'vitest';
import { parseImageReference, referenceTo } from '../src/index.js';
import { expectOciError } from './helpers.js';

const HEX = 'e50f727c38cfb5b6d048fea932ea46bca7abe22d166a7858d4666812a800b402';
const DIGEST = `sha256:${HEX}`;
const SHA512 = `sha512:${'ab'.repeat(64)}`;

describe('parseImageReference: valid references (docker normalisation)', () => {
  const cases: [string, { registry: string; repository: string; tag?: string; digest?: string }, string][] = [
    ['ubuntu', { registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest' }, 'docker.io/library/ubuntu:latest'],
    ['ubuntu:14.04', { registry: 'docker.io', repository: 'library/ubuntu', tag: '14.04' }, 'docker.io/library/ubuntu:14.04'],
    ['library/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest' }, 'docker.io/library/ubuntu:latest'],
    ['docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest' }, 'docker.io/library/ubuntu:latest'],
    ['index.docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest' }, 'docker.io/library/ubuntu:latest'],
    ['registry-1.docker.io/foo/bar', { registry: 'docker.io', repository: 'foo/bar', tag: 'latest' }, 'docker.io/foo/bar:latest'],
    ['dmcgowan/myapp', { registry: 'docker.io', repository: 'dmcgowan/myapp', tag: 'latest' }, 'docker.io/dmcgowan/myapp:latest'],
    ['dmcgowan/myapp/mysubapp', { registry: 'docker.io', repository: 'dmcgowan/myapp/mysubapp', tag: 'latest' }, 'docker.io/dmcgowan/myapp/mysubapp:latest'],
    ['localhost/foo', { registry: 'localhost', repository: 'foo', tag: 'latest' }, 'localhost/foo:latest'],
    ['localhost:5000/foo/bar:tag', { registry: 'localhost:5000', repository: 'foo/bar', tag: 'tag' }, 'localhost:5000/foo/bar:tag'],
    [`127.0.0.1:5000/test/hello@${DIGEST}`, { registry: '127.0.0.1:5000', repository: 'test/hello', digest: DIGEST }, `127.0.0.1:5000/test/hello@${DIGEST}`],
    [`127.0.0.1:5000/test/hello:v1@${DIGEST}`, { registry: '127.0.0.1:5000', repository: 'test/hello', tag: 'v1', digest: DIGEST }, `127.0.0.1:5000/test/hello:v1@${DIGEST}`],
    [`ubuntu@${SHA512}`, { registry: 'docker.io', repository: 'library/ubuntu', digest: SHA512 }, `docker.io/library/ubuntu@${SHA512}`],
    ['registry.gitlab.com/group/sub/project:v1.2', { registry: 'registry.gitlab.com', repository: 'group/sub/project', tag: 'v1.2' }, 'registry.gitlab.com/group/sub/project:v1.2'],
    ['gitlab.example.com:5050/g/p', { registry: 'gitlab.example.com:5050', repository: 'g/p', tag: 'latest' }, 'gitlab.example.com:5050/g/p:latest'],
    ['Foo/bar', { registry: 'Foo', repository: 'bar', tag: 'latest' }, 'Foo/bar:latest'],
    ['xn--n3h.com/myimage:xn--n3h.com', { registry: 'xn--n3h.com', repository: 'myimage', tag: 'xn--n3h.com' }, 'xn--n3h.com/myimage:xn--n3h.com'],
    ['[2001:db8::1]:5000/repo', { registry: '[2001:db8::1]:5000', repository: 'repo', tag: 'latest' }, '[2001:db8::1]:5000/repo:latest'],
    ['[::1]/repo:_under', { registry: '[::1]', repository: 'repo', tag: '_under' }, '[::1]/repo:_under'],
    ['a.b/c__d/e-f/g--h/i_j.k', { registry: 'a.b', repository: 'c__d/e-f/g--h/i_j.k', tag: 'latest' }, 'a.b/c__d/e-f/g--h/i_j.k:latest'],
    [`foo/${HEX}`, { registry: 'docker.io', repository: `foo/${HEX}`, tag: 'latest' }, `docker.io/foo/${HEX}:latest`],
    ['foo:Tag_1.2-rc', { registry: 'docker.io', repository: 'library/foo', tag: 'Tag_1.2-rc' }, 'docker.io/library/foo:Tag_1.2-rc'],
    [`foo:${'t'.repeat(128)}`, { registry: 'docker.io', repository: 'library/foo', tag: 't'.repeat(128) }, `docker.io/library/foo:${'t'.repeat(128)}`],
    ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }, 'docker.io/library/localhost:5000'],
  ];
  for (const [input, parts, text] of cases) {
    it(input.length > 80 ? `${input.slice(0, 80)}…` : input, () => {
      const ref = parseImageReference(input);
      expect({ registry: ref.registry, repository: ref.repository, tag: ref.tag, digest: ref.digest }).toEqual({ tag: undefined, digest: undefined, ...parts });
      expect(ref.name).toBe(`${parts.registry}/${parts.repository}`);
      expect(ref.toString()).toBe(text);
      expect(String(ref)).toBe(text);
      // What it prints parses back to itself.
      expect(parseImageReference(text).toString()).toBe(text);
    });
  }
});

describe('parseImageReference: refused', () => {
  const bad: [string, string][] = [
    ['', 'empty'],
    ['Uppercase', 'uppercase Hub repository'],
    ['docker.io/Foo', 'uppercase repository'],
    ['foo/Bar', 'uppercase second component'],
    [HEX, 'an image ID'],
    ['foo@sha256:abc', 'short digest'],
    ['foo@sha257:' + HEX, 'unknown algorithm'],
    ['foo@SHA256:' + HEX, 'uppercase algorithm'],
    ['foo@sha256:' + HEX.toUpperCase(), 'uppercase hex'],
    ['foo@sha512:' + HEX, 'sha512 of 64 hex'],
    ['foo@md5:d41d8cd98f00b204e9800998ecf8427e', 'md5'],
    ['foo:tag@', 'empty digest'],
    [`foo@${DIGEST}@${DIGEST}`, 'two digests'],
    ['foo:', 'empty tag'],
    ['foo:-bad', 'tag starting with -'],
    ['foo:.bad', 'tag starting with .'],
    [`foo:${'t'.repeat(129)}`, 'tag of 129 characters'],
    ['foo:a/b', 'tag with a slash'],
    ['-foo', 'leading separator'],
    ['foo-', 'trailing separator'],
    ['foo_', 'trailing underscore'],
    ['foo..bar', 'double dot'],
    ['foo___bar', 'triple underscore'],
    ['foo/', 'empty last component'],
    ['/foo', 'empty first component'],
    ['foo//bar', 'empty middle component'],
    ['localhost:port/foo', 'port not a number'],
    ['foo.com:99999/bar', 'port above 65535'],
    ['foo.com:0/bar', 'port 0'],
    ['foo.com:/bar', 'empty port'],
    ['-foo.com/bar', 'host starting with -'],
    ['[::1/repo', 'unclosed IPv6'],
    ['::1/repo', 'bare IPv6'],
    ['http://foo.com/bar', 'a URL'],
    ['aa/asdf$$^/aa', 'symbols'],
    ['foo bar', 'a space'],
    ['registry.example.com/' + 'a'.repeat(240), 'over 255 characters'],
    ['x'.repeat(2000), 'over the input bound'],
  ];
  for (const [input, why] of bad) {
    it(why, async () => {
      await expectOciError(() => parseImageReference(input), 'OCI_REFERENCE_INVALID');
    });
  }

  it('not a string', async () => {
    await expectOciError(() => parseImageReference(42 as unknown as string), 'OCI_REFERENCE_INVALID');
    await expectOciError(() => parseImageReference(undefined as unknown as string), 'OCI_REFERENCE_INVALID');
  });
});

describe('referenceTo', () => {
  it('moves to a tag or a digest in the same repository', async () => {
    const ref = parseImageReference('127.0.0.1:5000/test/hello:v1');
    expect(referenceTo(ref, { digest: DIGEST }).toString()).toBe(`127.0.0.1:5000/test/hello@${DIGEST}`);
    expect(referenceTo(ref, { tag: 'sha256-abc' }).toString()).toBe('127.0.0.1:5000/test/hello:sha256-abc');
    await expectOciError(() => referenceTo(ref, { tag: 'bad tag' }), 'OCI_REFERENCE_INVALID');
    await expectOciError(() => referenceTo(ref, { digest: 'sha256:00' }), 'OCI_REFERENCE_INVALID');
  });
});
