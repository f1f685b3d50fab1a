import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { npmPackageSubject, readPackageJsonFromTarball, tarballIntegrity } from '../src/index.js';
import { expectCode, expectRejection, flipByte, header, NPM_CORPUS, npmCorpusCase, tarball } from './helpers.js';

const manifest = JSON.stringify({ name: '@acme/widget', version: '1.2.3-rc.1', repository: { url: 'git+https://gitlab.com/acme/widget.git' } });

describe('npmPackageSubject', () => {
  it('writes npm\'s package URLs (the scope\'s @ as %40)', () => {
    expect(npmPackageSubject('sigstore', '2.0.0')).toBe('pkg:npm/sigstore@2.0.0');
    expect(npmPackageSubject('@strongjz/strongcoin', '0.0.13')).toBe('pkg:npm/%40strongjz/strongcoin@0.0.13');
    expect(npmPackageSubject('JSONStream', '1.3.5')).toBe('pkg:npm/JSONStream@1.3.5'); // a legacy upper-case name
    expect(npmPackageSubject('x', '1.0.0-beta.2+build.7')).toBe('pkg:npm/x@1.0.0-beta.2+build.7');
    expect(npmPackageSubject('x', '1.0.0', 'https://registry.npmjs.org/')).toBe('pkg:npm/x@1.0.0');
    expect(npmPackageSubject('x', '1.0.0', 'https://npm.example.com')).toBe('pkg:npm/x@1.0.0?repository_url=https://npm.example.com');
  });

  it.each([
    ['', '1.0.0'], ['@scope', '1.0.0'], ['@Scope/x', '1.0.0'], ['a b', '1.0.0'], ['.hidden', '1.0.0'], ['x/y', '1.0.0'], ['x'.repeat(215), '1.0.0'], ['x?y', '1.0.0'],
    ['x', '1.0'], ['x', 'v1.0.0'], ['x', '01.0.0'], ['x', '1.0.0-'], ['x', 'latest'], [7, '1.0.0'], ['x', undefined],
  ])('refuses name %j version %j', (name, version) => {
    expectCode(() => npmPackageSubject(name as string, version as string), 'PROVENANCE_NPM_PACKAGE_INVALID');
  });

  it('refuses a registry that is not a string', () => {
    expectCode(() => npmPackageSubject('x', '1.0.0', 42 as never), 'PROVENANCE_OPTIONS_INVALID');
  });
});

describe('readPackageJsonFromTarball', () => {
  it.each(NPM_CORPUS)('%s: reads the real tarball\'s package.json', async (name) => {
    const c = npmCorpusCase(name);
    const pkg = await readPackageJsonFromTarball(c.tarball);
    const subject = (c.statement.subject as { name: string }[])[0]!.name;
    expect(npmPackageSubject(pkg.name, pkg.version)).toBe(subject);
    expect(pkg.manifest.name).toBe(pkg.name);
    expect(tarballIntegrity(c.tarball)).toBe(`sha512-${createHash('sha512').update(c.tarball).digest('base64')}`);
  });

  it('reads whatever the top directory is called, pax long names and a BOM', async () => {
    const long = `package/${'d'.repeat(120)}/file.js`;
    const pkg = await readPackageJsonFromTarball(tarball([
      { path: 'node/', type: '5' },
      { path: long, content: 'x'.repeat(1000) },
      { path: 'node/package.json', content: `\uFEFF${manifest}` },
      { path: 'node/lib/package.json', content: '{"name":"nested","version":"0.0.1"}' },
      { path: 'node/link', type: '2' },
    ]));
    expect(pkg).toMatchObject({ name: '@acme/widget', version: '1.2.3-rc.1' });
  });

  it('refuses an entry hidden after a single zero block (npm would read on and install it)', async () => {
    const manifest = JSON.stringify({ name: 'demo', version: '1.0.0' });
    const real = tarball([{ path: 'package/package.json', content: manifest }], { endMarker: false });
    const hidden = tarball([{ path: 'package/index.js', content: 'evil()\n' }], { endMarker: true });
    const { gunzipSync } = await import('node:zlib');
    const smuggled = gzipSync(Buffer.concat([gunzipSync(real), Buffer.alloc(512), gunzipSync(hidden)]));
    await expectRejection(readPackageJsonFromTarball(new Uint8Array(smuggled)), 'PROVENANCE_NPM_TARBALL_INVALID');
    // Zeros after the end marker are padding, as tar writes them.
    const padded = gzipSync(Buffer.concat([gunzipSync(real), Buffer.alloc(10240)]));
    expect((await readPackageJsonFromTarball(new Uint8Array(padded))).name).toBe('demo');
    // After two zero blocks npm's parser reads nothing more, but yarn 1's (tar-stream) reads on.
    const past = gzipSync(Buffer.concat([gunzipSync(real), Buffer.alloc(1024), gunzipSync(hidden)]));
    await expectRejection(readPackageJsonFromTarball(new Uint8Array(past)), 'PROVENANCE_NPM_TARBALL_INVALID');
  });

  it('finds package.json when a pax header names it and without an end-of-archive block', async () => {
    const pkg = await readPackageJsonFromTarball(tarball([{ path: 'package/package.json', content: manifest }], { endMarker: false }));
    expect(pkg.name).toBe('@acme/widget');
    const viaPax = await readPackageJsonFromTarball(tarball([{ path: `${'q'.repeat(101)}/package.json`, content: manifest }]));
    expect(viaPax.version).toBe('1.2.3-rc.1');
  });

  it.each<[string, () => Uint8Array]>([
    ['bytes that are not gzip', () => new TextEncoder().encode('package/package.json')],
    ['gzip that is not complete', () => tarball([{ path: 'package/package.json', content: manifest }]).slice(0, 40)],
    ['corrupt gzip', () => flipByte(tarball([{ path: 'package/package.json', content: manifest }]), 20, 0xff)],
    ['an archive without package.json', () => tarball([{ path: 'package/index.js', content: '1' }])],
    ['package.json only deeper down', () => tarball([{ path: 'package/lib/package.json', content: manifest }])],
    ['package.json at the top, undirected', () => tarball([{ path: 'package.json', content: manifest }])],
    ['two top directories with package.json', () => tarball([{ path: 'package/package.json', content: manifest }, { path: 'other/package.json', content: manifest }])],
    ['package.json twice', () => tarball([{ path: 'package/package.json', content: manifest }, { path: 'package/package.json', content: manifest }])],
    ['package.json that is not JSON', () => tarball([{ path: 'package/package.json', content: '{name: x}' }])],
    ['package.json that is a list', () => tarball([{ path: 'package/package.json', content: '[]' }])],
    ['package.json over 4 MiB', () => tarball([{ path: 'package/package.json', content: `{"name":"x","version":"1.0.0","pad":"${'x'.repeat(4 * 1024 * 1024)}"}` }])],
    ['a header with a bad checksum', () => { const h = header('package/package.json', 2, '0'); h[0] = 0x71; return new Uint8Array(gzipSync(Buffer.concat([h, new Uint8Array(512), new Uint8Array(1024)]))); }],
    ['a header with a size that is not octal', () => new Uint8Array(gzipSync(Buffer.concat([withField(header('package/package.json', 0, '0'), 124, '00000000089\0'), new Uint8Array(1024)])))],
    ['a base-256 size', () => { const h = header('package/package.json', 0, '0'); h[124] = 0x80; return new Uint8Array(gzipSync(Buffer.concat([fixChecksum(h), new Uint8Array(1024)]))); }],
    ['an archive cut inside an entry', () => new Uint8Array(gzipSync(Buffer.concat([header('package/package.json', 600, '0'), new Uint8Array(100)])))],
    ['an archive cut inside a header', () => new Uint8Array(gzipSync(new Uint8Array(300).fill(1)))],
    ['a malformed pax record', () => new Uint8Array(gzipSync(Buffer.concat([header('PaxHeader', 12, 'x'), pad512('99 path=x\n'), header('a', 0, '0'), new Uint8Array(1024)])))],
    ['a pax header of 2 MiB', () => new Uint8Array(gzipSync(Buffer.concat([header('PaxHeader', 2 * 1024 * 1024, 'x'), new Uint8Array(2 * 1024 * 1024), new Uint8Array(1024)])))],
  ])('refuses %s', async (_, make) => {
    await expectRejection(readPackageJsonFromTarball(make()), 'PROVENANCE_NPM_TARBALL_INVALID');
  });

  it('refuses a package.json whose name or version npm would not accept', async () => {
    await expectRejection(readPackageJsonFromTarball(tarball([{ path: 'package/package.json', content: '{"name":"Bad Name","version":"1.0.0"}' }])), 'PROVENANCE_NPM_PACKAGE_INVALID');
    await expectRejection(readPackageJsonFromTarball(tarball([{ path: 'package/package.json', content: '{"name":"x"}' }])), 'PROVENANCE_NPM_PACKAGE_INVALID');
  });

  it('stops a gzip bomb at its unpacked-size bound without holding it', async () => {
    // 1.1 GiB of zeros (gzip members, concatenated) inflates from about a megabyte; the reader gives up at 1 GiB.
    const zeros = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const members = [gzipSync(header('package/big.bin', 0o77777777777, '0')), ...Array.from({ length: 17 }, () => zeros)];
    await expectRejection(readPackageJsonFromTarball(new Uint8Array(Buffer.concat(members))), 'PROVENANCE_NPM_TARBALL_INVALID');
  });

  it('refuses input that is not bytes', async () => {
    await expectRejection(readPackageJsonFromTarball('package.tgz' as never), 'PROVENANCE_OPTIONS_INVALID');
  });
});

function withField(h: Uint8Array, offset: number, text: string): Uint8Array {
  h.set(new TextEncoder().encode(text), offset);
  return fixChecksum(h);
}

function fixChecksum(h: Uint8Array): Uint8Array {
  h.fill(0x20, 148, 156);
  const sum = h.reduce((n, b) => n + b, 0);
  h.set(new TextEncoder().encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
  return h;
}

function pad512(text: string): Uint8Array {
  const out = new Uint8Array(512);
  out.set(new TextEncoder().encode(text));
  return out;
}
