import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrustError, TrustMaterial, describeWindow, isWithin, loadTrustMaterialFile, publicGoodTrustMaterial } from '../src/index.js';

const prodFile = new URL('../../../test-infra/fixtures/corpus/trusted-roots/prod.json', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'sigil-trust-'));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TrustError);
    return (err as TrustError).code;
  }
  return undefined;
}

describe('validity windows', () => {
  const start = new Date('2024-01-01T00:00:00Z');
  const end = new Date('2024-12-31T00:00:00Z');
  it('are inclusive at both ends and open without an end', () => {
    expect(isWithin({ start, end }, start)).toBe(true);
    expect(isWithin({ start, end }, end)).toBe(true);
    expect(isWithin({ start, end }, new Date(end.getTime() + 1))).toBe(false);
    expect(isWithin({ start }, new Date('2099-01-01T00:00:00Z'))).toBe(true);
  });
  it('never contain anything without a start', () => {
    expect(isWithin({ end }, start)).toBe(false);
    expect(describeWindow({ end })).toContain('never valid');
  });
});

describe('public-good roots', () => {
  it('embed production and staging, with their logs, CT logs, CAs and TSAs', () => {
    const prod = publicGoodTrustMaterial('production');
    expect(prod.tlogs.map((l) => l.host)).toContain('rekor.sigstore.dev');
    expect(prod.ctlogs.length).toBeGreaterThan(0);
    expect(prod.certificateAuthorities.every((ca) => ca.chain.length > 0)).toBe(true);
    expect(publicGoodTrustMaterial('staging').tlogs.map((l) => l.host)).toContain('rekor.sigstage.dev');
    expect(publicGoodTrustMaterial()).toBe(prod);
  });

  it('equal the copies kept as fixtures', () => {
    const fromFile = loadTrustMaterialFile(prodFile);
    expect(fromFile.tlogs.map((l) => l.baseUrl)).toEqual(publicGoodTrustMaterial().tlogs.map((l) => l.baseUrl));
  });

  it('find a log by its ID', () => {
    const prod = publicGoodTrustMaterial();
    const rekor = prod.tlogs.find((l) => l.host === 'rekor.sigstore.dev')!;
    expect(prod.tlogsById(rekor.logId)[0]).toBe(rekor);
    expect(rekor.publicKey?.kind).toBe('ecdsa');
    expect(prod.tlogsById(new Uint8Array(32))).toEqual([]);
  });
});

describe('trusted root files', () => {
  const write = (name: string, text: string) => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };
  const prod = () => JSON.parse(readFileSync(prodFile, 'utf8'));

  it('that cannot be read, parsed or decoded fail with typed errors naming the file', () => {
    expect(codeOf(() => loadTrustMaterialFile(join(scratch, 'missing.json')))).toBe('TRUST_ROOT_UNREADABLE');
    expect(codeOf(() => loadTrustMaterialFile(write('a.json', '{')))).toBe('TRUST_ROOT_INVALID');
    expect(codeOf(() => loadTrustMaterialFile(write('b.json', '{"mediaType":"nope"}')))).toBe('TRUST_ROOT_INVALID');
    const broken = prod();
    broken.certificateAuthorities[0].certChain.certificates[0].rawBytes = 'MIIBAA==';
    expect(codeOf(() => loadTrustMaterialFile(write('c.json', JSON.stringify(broken))))).toBe('TRUST_ROOT_INVALID');
    const empty = prod();
    empty.certificateAuthorities[0].certChain.certificates = [];
    expect(codeOf(() => loadTrustMaterialFile(write('d.json', JSON.stringify(empty))))).toBeDefined();
  });

  it('keep a log whose key cannot be used, so that its entries fail closed', () => {
    const odd = prod();
    odd.tlogs[0].publicKey.rawBytes = 'AAAA';
    const material = TrustMaterial.fromJson(odd);
    expect(material.tlogs[0]!.publicKey).toBeUndefined();
  });
});
