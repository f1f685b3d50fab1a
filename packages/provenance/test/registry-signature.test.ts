import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tarballIntegrity, verifyNpmRegistrySignature, type ProvenanceErrorCode, type VerifyNpmRegistrySignatureOptions } from '../src/index.js';
import { expectCode, fixtureJson, fixtureText, npmCorpusCase } from './helpers.js';

interface Packument {
  name: string;
  versions: Record<string, { dist: { integrity: string; signatures: { keyid: string; sig: string }[] } }>;
  time: Record<string, string>;
}

const packument = fixtureJson<Packument>('has-package-exports.packument.json');
const realKeys = fixtureText('npm-registry-keys.json');

function real(version: string): VerifyNpmRegistrySignatureOptions {
  const { dist } = packument.versions[version]!;
  return { name: packument.name, version, integrity: dist.integrity, signatures: dist.signatures, keys: realKeys, publishedAt: new Date(packument.time[version]!) };
}

// A registry of our own: P-256 keys we hold, keyids in npm's form (OpenSSH SHA-256 fingerprints).
function registryKey(expires: string | null = null) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const keyid = `SHA256:${createHash('sha256').update(spki).digest('base64').replace(/=+$/, '')}`;
  return {
    keyid,
    entry: { expires, keyid, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: spki.toString('base64') },
    sign: (message: string) => ({ keyid, sig: sign('sha256', Buffer.from(message), privateKey).toString('base64') }),
  };
}

describe('verifyNpmRegistrySignature: a real registry signature', () => {
  it.each(['1.0.0', '1.2.3'])('has-package-exports@%s verifies with npm\'s key as of its publication', (version) => {
    expect(verifyNpmRegistrySignature(real(version))).toEqual({ keyids: ['SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA'] });
  });

  it('is refused today without the publication time: that key expired on 2025-01-29', () => {
    const { publishedAt: _, ...options } = real('1.0.0');
    expectCode(() => verifyNpmRegistrySignature(options), 'PROVENANCE_NPM_SIGNATURE_KEY_EXPIRED');
    expect(verifyNpmRegistrySignature({ ...options, now: new Date('2025-01-28T23:59:59Z') }).keyids).toHaveLength(1);
    expectCode(() => verifyNpmRegistrySignature({ ...options, now: new Date('2025-01-29T00:00:00Z') }), 'PROVENANCE_NPM_SIGNATURE_KEY_EXPIRED');
  });

  it('refuses another version\'s integrity, name or version under the same signature', () => {
    const options = real('1.0.0');
    expectCode(() => verifyNpmRegistrySignature({ ...options, integrity: packument.versions['1.2.3']!.dist.integrity }), 'PROVENANCE_NPM_SIGNATURE_INVALID');
    expectCode(() => verifyNpmRegistrySignature({ ...options, version: '1.2.3' }), 'PROVENANCE_NPM_SIGNATURE_INVALID');
    expectCode(() => verifyNpmRegistrySignature({ ...options, name: 'has-package-export' }), 'PROVENANCE_NPM_SIGNATURE_INVALID');
  });
});

describe('verifyNpmRegistrySignature: keys and signatures of our own', () => {
  const current = registryKey();
  const old = registryKey('2024-01-01T00:00:00.000Z');
  const keys = { keys: [old.entry, current.entry] };
  const c = npmCorpusCase('slsa-npm-sigstore-2.3.1');
  const integrity = tarballIntegrity(c.tarball);
  const message = `sigstore@2.3.1:${integrity}`;
  const base = { name: 'sigstore', version: '2.3.1', integrity, keys, now: new Date('2025-06-01T00:00:00Z') };

  it('verifies each signature with the key its keyid names (keys as a value, text or bytes)', () => {
    expect(verifyNpmRegistrySignature({ ...base, signatures: [current.sign(message)] })).toEqual({ keyids: [current.keyid] });
    expect(verifyNpmRegistrySignature({ ...base, keys: JSON.stringify(keys), signatures: [current.sign(message)] }).keyids).toEqual([current.keyid]);
    expect(verifyNpmRegistrySignature({ ...base, keys: new TextEncoder().encode(JSON.stringify(keys)), signatures: [current.sign(message), old.sign(message)], publishedAt: new Date('2023-06-01T00:00:00Z') }).keyids).toEqual([current.keyid, old.keyid]);
  });

  it.each<[string, Partial<VerifyNpmRegistrySignatureOptions>, ProvenanceErrorCode]>([
    ['a keyid the registry does not list', { signatures: [{ ...current.sign(message), keyid: 'SHA256:unknown' }] }, 'PROVENANCE_NPM_SIGNATURE_KEY_MISSING'],
    ['a signature by another key under this keyid', { signatures: [{ keyid: current.keyid, sig: old.sign(message).sig }] }, 'PROVENANCE_NPM_SIGNATURE_INVALID'],
    ['a tampered integrity', { integrity: integrity.replace(/^sha512-./, 'sha512-A'), signatures: [current.sign(message)] }, 'PROVENANCE_NPM_SIGNATURE_INVALID'],
    ['a key that expired before publication', { signatures: [old.sign(message)], publishedAt: new Date('2024-06-01T00:00:00Z') }, 'PROVENANCE_NPM_SIGNATURE_KEY_EXPIRED'],
    ['a key that expired before now', { signatures: [old.sign(message)] }, 'PROVENANCE_NPM_SIGNATURE_KEY_EXPIRED'],
    ['one good and one bad signature', { signatures: [current.sign(message), { keyid: current.keyid, sig: current.sign('x').sig }] }, 'PROVENANCE_NPM_SIGNATURE_INVALID'],
    ['no signatures', { signatures: [] }, 'PROVENANCE_NPM_SIGNATURES_INVALID'],
    ['signatures that are not a list', { signatures: 'MEUC' as never }, 'PROVENANCE_NPM_SIGNATURES_INVALID'],
    ['a signature without sig', { signatures: [{ keyid: current.keyid } as never] }, 'PROVENANCE_NPM_SIGNATURES_INVALID'],
    ['a sig that is not base64', { signatures: [{ keyid: current.keyid, sig: 'not base64!' }] }, 'PROVENANCE_NPM_SIGNATURES_INVALID'],
    ['an integrity with white space', { integrity: `${integrity} sha1-x`, signatures: [current.sign(message)] }, 'PROVENANCE_NPM_SIGNATURES_INVALID'],
    ['a keys document without keys', { keys: { key: [] }, signatures: [current.sign(message)] }, 'PROVENANCE_NPM_KEYS_INVALID'],
    ['keys that are not JSON', { keys: '{"keys":[', signatures: [current.sign(message)] }, 'PROVENANCE_NPM_KEYS_INVALID'],
    ['a key of another type', { keys: { keys: [{ ...current.entry, keytype: 'ed25519' }] }, signatures: [current.sign(message)] }, 'PROVENANCE_NPM_KEYS_INVALID'],
    ['a key that is not base64 DER', { keys: { keys: [{ ...current.entry, key: 'AAAA' }] }, signatures: [current.sign(message)] }, 'PROVENANCE_NPM_KEYS_INVALID'],
    ['a P-384 key', { keys: { keys: [{ ...current.entry, key: generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64') }] }, signatures: [current.sign(message)] }, 'PROVENANCE_NPM_KEYS_INVALID'],
    ['an expiry that is not a time', { keys: { keys: [{ ...current.entry, expires: 'soon' }] }, signatures: [current.sign(message)] }, 'PROVENANCE_NPM_KEYS_INVALID'],
    ['a key entry without keyid', { keys: { keys: [{ key: current.entry.key }] }, signatures: [current.sign(message)] }, 'PROVENANCE_NPM_KEYS_INVALID'],
    ['an invalid package name', { name: 'Not Valid', signatures: [current.sign(message)] }, 'PROVENANCE_NPM_PACKAGE_INVALID'],
    ['an invalid version', { version: 'latest', signatures: [current.sign(message)] }, 'PROVENANCE_NPM_PACKAGE_INVALID'],
    ['a time that is not a Date', { publishedAt: '2024-01-01' as never, signatures: [current.sign(message)] }, 'PROVENANCE_OPTIONS_INVALID'],
  ])('refuses %s', (_, change, code) => {
    expectCode(() => verifyNpmRegistrySignature({ ...base, signatures: [], ...change }), code);
  });

  it('checks only the keys a signature names: an unusable key elsewhere in the document is no obstacle', () => {
    const withOdd = { keys: [{ keyid: 'SHA256:future', keytype: 'ml-dsa-65', scheme: 'ml-dsa-65', key: 'AAAA', expires: null }, current.entry] };
    expect(verifyNpmRegistrySignature({ ...base, keys: withOdd, signatures: [current.sign(message)] }).keyids).toEqual([current.keyid]);
  });

  it('refuses options that are not an object', () => {
    expectCode(() => verifyNpmRegistrySignature(null as never), 'PROVENANCE_OPTIONS_INVALID');
  });
});
