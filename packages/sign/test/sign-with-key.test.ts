import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@sigil/crypto';
import { encodeBase64, utf8Encode } from '@sigil/encoding';
import { keyFileSigner } from '@sigil/keys';
import { createStack, type Stack } from '@sigil/stack';
import { TrustMaterial } from '@sigil/trust';
import { artifactFromBytes, Verifier } from '@sigil/verify';
import { signBlobWithKey, signDsseWithKey, SignError, type KeySignOptions } from '../src/index.js';
import { FAST_HTTP } from './sign-fixture.js';

// cosign 3's sign-blob --key and attest-blob --key against the local stack: a v0.3 bundle with
// the key's hint, an entry naming the public key in the v1 or v2 log, and timestamps.
let dir: string;
let stack: Stack;
let trust: TrustMaterial;
const key = keyFileSigner(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
const other = keyFileSigner(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
const data = utf8Encode('signed with a long-lived key\n');
const statement = utf8Encode(
  JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: encodeHexOf(data) } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} }),
);

function encodeHexOf(bytes: Uint8Array): string {
  return Buffer.from(sha256(bytes)).toString('hex');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-sign-key-'));
  stack = await createStack({ dir });
  trust = TrustMaterial.fromJson(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')));
}, 60_000);
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const v1 = (): KeySignOptions => ({ signer: key, rekorURL: stack.rekorURL, trust, http: FAST_HTTP });
const v2 = (): KeySignOptions => ({ signer: key, transparencyLogs: [{ url: stack.rekorV2URL, majorApiVersion: 2 }], tsaURL: stack.tsaURL, trust, http: FAST_HTTP });

describe('signBlobWithKey', () => {
  it('Rekor v1: hashedrekord naming the public key; the bundle verifies with the key and not with another', async () => {
    const result = await signBlobWithKey({ kind: 'bytes', bytes: data }, v1());
    const { verificationMaterial } = result.bundle;
    expect(verificationMaterial.content).toEqual({ $case: 'publicKey', hint: encodeBase64(sha256(key.spki)) });
    expect(verificationMaterial.tlogEntries[0]!.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.1' });
    const body = JSON.parse(Buffer.from(verificationMaterial.tlogEntries[0]!.canonicalizedBody).toString());
    expect(Buffer.from(body.spec.signature.publicKey.content, 'base64').toString()).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    await new Verifier(trust).verify(result.bundle, artifactFromBytes(data), { publicKey: key.publicKey });
    await expect(new Verifier(trust).verify(result.bundle, artifactFromBytes(data), { publicKey: other.publicKey })).rejects.toMatchObject({ code: expect.stringMatching(/^VERIFY_/) });
  }, 60_000);

  it('Rekor v2 with a timestamp: hashedrekord 0.0.2 naming the key', async () => {
    const result = await signBlobWithKey({ kind: 'bytes', bytes: data }, v2());
    expect(result.bundle.verificationMaterial.tlogEntries[0]!.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.2' });
    expect(result.bundle.verificationMaterial.rfc3161Timestamps).toHaveLength(1);
    await new Verifier(trust).verify(result.bundle, artifactFromBytes(data), { publicKey: key.publicKey });
  }, 60_000);

  it('--tlog-upload=false: no log entry, a timestamp instead; without a TSA it is refused before signing', async () => {
    const result = await signBlobWithKey({ kind: 'bytes', bytes: data }, { ...v1(), tlogUpload: false, tsaURL: stack.tsaURL });
    expect(result.bundle.verificationMaterial.tlogEntries).toEqual([]);
    // A verifier that insists on a log entry (the default) refuses it; told to do without, it verifies.
    await expect(new Verifier(trust).verify(result.bundle, artifactFromBytes(data), { publicKey: key.publicKey })).rejects.toMatchObject({ code: expect.stringMatching(/^VERIFY_TLOG/) });
    await new Verifier(trust, { tlogThreshold: 0 }).verify(result.bundle, artifactFromBytes(data), { publicKey: key.publicKey });
    const refused = await signBlobWithKey({ kind: 'bytes', bytes: data }, { ...v1(), tlogUpload: false }).catch((e: unknown) => e);
    expect((refused as SignError).code).toBe('SIGN_OPTIONS_INVALID');
  }, 60_000);

  it('a key whose hash is not SHA-256 is refused for blobs, by name', async () => {
    const p384 = keyFileSigner(createPrivateKey(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'pem', type: 'pkcs8' })));
    const refused = await signBlobWithKey({ kind: 'bytes', bytes: data }, { ...v1(), signer: p384 }).catch((e: unknown) => e);
    expect((refused as SignError).message).toMatch(/ECDSA_P384_SHA384 key signs with sha384/);
  });
});

describe('signDsseWithKey', () => {
  it.each([
    ['Rekor v1', v1, 'dsse', '0.0.1'],
    ['Rekor v2', v2, 'dsse', '0.0.2'],
  ] as const)('%s: a dsse entry naming the key, and the bundle verifies for the subject', async (_, options, kind, version) => {
    const result = await signDsseWithKey(statement, options());
    expect(result.bundle.verificationMaterial.tlogEntries[0]!.kindVersion).toEqual({ kind, version });
    await new Verifier(trust).verify(result.bundle, artifactFromBytes(data), { publicKey: key.publicKey });
  }, 60_000);
});
