// Signatures over digests are decided exactly as @sigil/crypto's verifyDigestSignature decides
// them, whether a thread or the event loop checks them; a bundle carries the thread's module
// or is refused at start; a hashedrekord entry is logged only once its check passed.
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { p256 } from '@noble/curves/nist.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError, fromKeyObject, hash as digestOf, importPublicKey, verifyDigestSignature, type HashAlgorithm, type PublicKey } from '@sigil/crypto';
import { decodeHex, encodeBase64 } from '@sigil/encoding';
import { createCertificateAuthority } from '../../src/index.js';
import { SIGNATURE_THREAD_FILE, startSignatureChecks, type SignatureChecks } from '../../src/rekor-server/signature-checks.js';
import { bundleForNode } from './support/bundle.js';
import { createEntrySigner } from './support/entries.js';
import { postEntry, request, startRekor } from './support/rekor.js';

interface Case {
  name: string;
  key: PublicKey;
  digest: Uint8Array;
  signature: Uint8Array;
  hash: HashAlgorithm;
  valid: boolean;
}

const ecKey = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve });
const N = p256.Point.CURVE().n;

/** A signature by `privateKey` over the `hash` digest of fresh data (node:crypto hashes and signs). */
function signed(privateKey: KeyObject, hash: HashAlgorithm, rsa = false) {
  const data = randomBytes(40);
  const signature = new Uint8Array(sign(hash, data, rsa ? privateKey : { key: privateKey, dsaEncoding: 'der' }));
  return { digest: new Uint8Array(createHash(hash).update(data).digest()), signature };
}

/** The same signature with s replaced by n - s (what Go signers may send). */
function highS(signature: Uint8Array): Uint8Array {
  const { r, s } = p256.Signature.fromBytes(signature, 'der');
  return new p256.Signature(r, N - s).toBytes('der');
}

function cases(): Case[] {
  const all: Case[] = [];
  const p256Pair = ecKey('P-256');
  const p256Key = fromKeyObject(p256Pair.publicKey);
  const stranger = fromKeyObject(ecKey('P-256').publicKey);
  for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
    const good = signed(p256Pair.privateKey, hash);
    all.push({ name: `P-256 over ${hash}`, key: p256Key, ...good, hash, valid: true });
  }
  const good = signed(p256Pair.privateKey, 'sha256');
  const other = signed(p256Pair.privateKey, 'sha256');
  const changed = good.signature.slice();
  changed[changed.length - 1]! ^= 1;
  all.push(
    { name: 'P-256 high-S', key: p256Key, digest: good.digest, signature: highS(good.signature), hash: 'sha256', valid: true },
    { name: 'P-256 another digest', key: p256Key, digest: other.digest, signature: good.signature, hash: 'sha256', valid: false },
    { name: 'P-256 another key', key: stranger, ...good, hash: 'sha256', valid: false },
    { name: 'P-256 changed signature', key: p256Key, digest: good.digest, signature: changed, hash: 'sha256', valid: false },
    { name: 'P-256 digest of the wrong size', key: p256Key, digest: good.digest.subarray(0, 31), signature: good.signature, hash: 'sha256', valid: false },
    { name: 'P-256 digest not the named hash', key: p256Key, ...good, hash: 'sha384', valid: false },
    { name: 'P-256 empty signature', key: p256Key, digest: good.digest, signature: new Uint8Array(), hash: 'sha256', valid: false },
    { name: 'P-256 not DER', key: p256Key, digest: good.digest, signature: new Uint8Array(64).fill(7), hash: 'sha256', valid: false },
    { name: 'P-256 trailing byte', key: p256Key, digest: good.digest, signature: Uint8Array.from([...good.signature, 0]), hash: 'sha256', valid: false },
    { name: 'P-256 signature over a view', key: p256Key, digest: good.digest, signature: Uint8Array.from([9, ...good.signature, 9]).subarray(1, -1), hash: 'sha256', valid: true },
  );
  for (const [curve, hash] of [
    ['P-384', 'sha384'],
    ['P-521', 'sha512'],
  ] as const) {
    const pair = ecKey(curve);
    const made = signed(pair.privateKey, hash);
    all.push({ name: `${curve} over ${hash}`, key: fromKeyObject(pair.publicKey), ...made, hash, valid: true });
    all.push({ name: `${curve} another digest`, key: fromKeyObject(pair.publicKey), digest: signed(pair.privateKey, hash).digest, signature: made.signature, hash, valid: false });
  }
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaSigned = signed(rsa.privateKey, 'sha256', true);
  all.push(
    { name: 'RSA', key: fromKeyObject(rsa.publicKey), ...rsaSigned, hash: 'sha256', valid: true },
    { name: 'RSA another digest', key: fromKeyObject(rsa.publicKey), digest: other.digest, signature: rsaSigned.signature, hash: 'sha256', valid: false },
  );
  return all;
}

const decide = (checks: SignatureChecks, { key, digest, signature, hash }: Case) => checks.verifyDigest(key, digest, signature, hash);

describe('signature checks', () => {
  const table = cases();

  it.each([2, 0])('decide as verifyDigestSignature with %i threads, checks asked for together or alone', async (threads) => {
    const checks = startSignatureChecks(threads);
    try {
      const expected = await Promise.all(table.map(({ key, digest, signature, hash }) => verifyDigestSignature(key, digest, signature, { hash })));
      expect(expected).toEqual(table.map((c) => c.valid));
      const together = await Promise.all([...table, ...table].map((c) => decide(checks, c)));
      expect(Object.fromEntries(together.map((ok, i) => [table[i % table.length]!.name, ok]))).toEqual(Object.fromEntries(table.map((c) => [c.name, c.valid])));
      for (const c of table) expect(await decide(checks, c), c.name).toBe(c.valid);
      expect(checks.threads).toBe(threads);
    } finally {
      await checks.close();
    }
  });

  // test-infra/fixtures/vectors/wycheproof/SOURCE.md; "acceptable" cases may go either way, but
  // must go the way verifyDigestSignature takes them.
  it.each([
    ['ecdsa_secp256r1_sha256_test.json', 'sha256'],
    ['ecdsa_secp384r1_sha384_test.json', 'sha384'],
  ] as const)('decide the Wycheproof vectors of %s on threads', async (file, hash) => {
    const groups: { publicKeyDer: string; tests: { tcId: number; msg: string; sig: string; result: string }[] }[] = JSON.parse(
      readFileSync(new URL(`../../../fixtures/vectors/wycheproof/${file}`, import.meta.url), 'utf8'),
    ).testGroups;
    const vectors = groups.flatMap((group) => group.tests.map((test) => ({ ...test, key: importPublicKey(decodeHex(group.publicKeyDer)), digest: digestOf(hash, decodeHex(test.msg)), signature: decodeHex(test.sig) })));
    const checks = startSignatureChecks(2);
    try {
      const decided = await Promise.all(vectors.map(({ key, digest, signature }) => checks.verifyDigest(key, digest, signature, hash)));
      const expected = await Promise.all(
        vectors.map(async ({ result, key, digest, signature }) => (result === 'acceptable' ? verifyDigestSignature(key, digest, signature, { hash }) : result === 'valid')),
      );
      expect(decided.map((ok, i) => ({ tcId: vectors[i]!.tcId, ok }))).toEqual(expected.map((ok, i) => ({ tcId: vectors[i]!.tcId, ok })));
      expect(vectors.length).toBeGreaterThan(300);
      expect(checks.threads).toBe(2);
    } finally {
      await checks.close();
    }
  });

  it('refuse an Ed25519 key as verifyDigestSignature does (a digest alone cannot be checked)', async () => {
    const checks = startSignatureChecks(1);
    const key = fromKeyObject(generateKeyPairSync('ed25519').publicKey);
    const attempt = checks.verifyDigest(key, new Uint8Array(32), new Uint8Array(64), 'sha256');
    await expect(attempt).rejects.toBeInstanceOf(CryptoError);
    await expect(attempt).rejects.toMatchObject({ code: 'CRYPTO_UNSUPPORTED_OPERATION' });
    await checks.close();
  });

  it('answer checks still on the threads when they stop, and later ones, on the event loop', async () => {
    const checks = startSignatureChecks(2);
    const pending = [...table, ...table].map((c) => decide(checks, c));
    await new Promise((resolve) => setImmediate(resolve)); // posted to the threads
    await checks.close();
    expect(await Promise.all(pending)).toEqual([...table, ...table].map((c) => c.valid));
    expect(checks.threads).toBe(0);
    for (const c of table) expect(await decide(checks, c), c.name).toBe(c.valid);
    await checks.close();
  });
});

describe('a bundle of the stack', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const source = fileURLToPath(new URL('../../src/rekor-server/', import.meta.url));

  /** Bundles a script that starts one thread and checks one signature into a fresh directory, the thread's module beside it or not. */
  async function bundle(signatureThread: boolean): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'sigil-signature-thread-'));
    dirs.push(dir);
    const script = `
      import { generateKeyPairSync, createHash, sign } from 'node:crypto';
      import { fromKeyObject } from '@sigil/crypto';
      import { startSignatureChecks } from ${JSON.stringify(join(source, 'signature-checks.ts'))};
      try {
        const checks = startSignatureChecks(1);
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const digest = createHash('sha256').update('artifact').digest();
        const ok = await checks.verifyDigest(fromKeyObject(publicKey), digest, sign('sha256', Buffer.from('artifact'), privateKey), 'sha256');
        console.log(JSON.stringify({ ok, threads: checks.threads }));
        await checks.close();
      } catch (err) {
        console.log(JSON.stringify({ code: err.code }));
      }`;
    writeFileSync(join(dir, 'check-source.mjs'), script);
    await bundleForNode({ check: join(dir, 'check-source.mjs') }, dir, { signatureThread });
    return dir;
  }
  const run = async (dir: string) => JSON.parse((await promisify(execFile)(process.execPath, [join(dir, 'check.mjs')])).stdout);

  it('without the thread module beside it is refused at start (STACK_REKOR_THREAD_MISSING)', async () => {
    expect(await run(await bundle(false))).toEqual({ code: 'STACK_REKOR_THREAD_MISSING' });
  });

  it('with the thread module beside it (a bundled copy, as build.mjs makes) checks on its thread', async () => {
    expect(await run(await bundle(true))).toEqual({ ok: true, threads: 1 });
  });

  it('whose thread module cannot load still decides, on the event loop', async () => {
    const dir = await bundle(false);
    copyFileSync(join(source, SIGNATURE_THREAD_FILE), join(dir, SIGNATURE_THREAD_FILE)); // its import of @noble/curves resolves nowhere there
    expect(await run(dir)).toEqual({ ok: true, threads: 0 });
  });
});

describe('hashedrekord entries', () => {
  const ca = createCertificateAuthority();
  const signer = createEntrySigner(ca);

  it.each([undefined, 0])('are logged only when their signature verifies (high-S too), with signatureThreads %s', async (signatureThreads) => {
    const rekor = await startRekor({ trustedCas: () => [ca.chain.slice()], ...(signatureThreads === undefined ? {} : { signatureThreads }) });
    try {
      const good = signer.hashedRekord();
      const high = signer.hashedRekord();
      high.proposed.spec.signature.content = encodeBase64(highS(high.signature));
      const bad = signer.hashedRekord();
      bad.proposed.spec.signature.content = encodeBase64(good.signature);
      const replies = await Promise.all([good, high, bad].map(({ proposed }) => postEntry(rekor.url, proposed)));
      expect(replies.map((reply) => reply.status)).toEqual([201, 201, 400]);
      expect(replies[2]!.json.reason).toBe('REKOR_SIGNATURE_INVALID');
      expect((await request(`${rekor.url}/api/v1/log`)).json.treeSize).toBe(2);
    } finally {
      await rekor.stop(true);
    }
  });
});
