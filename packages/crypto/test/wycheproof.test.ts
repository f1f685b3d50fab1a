import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeHex } from '@sigil/encoding';
import { hash, importPublicKey, verifyDigestSignature, verifySignature, type HashAlgorithm } from '../src/index.js';

// Wycheproof vectors (test-infra/fixtures/vectors/wycheproof/SOURCE.md): every "valid" case must
// verify and every "invalid" one must not; "acceptable" cases are legal either way.
const dir = new URL('../../../test-infra/fixtures/vectors/wycheproof/', import.meta.url);

interface Vector {
  tcId: number;
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
interface Group {
  publicKeyDer: string;
  sha?: string;
  tests: Vector[];
}

function load(file: string): Group[] {
  return JSON.parse(readFileSync(new URL(file, dir), 'utf8')).testGroups;
}

async function run(file: string, check: (group: Group, v: Vector) => boolean | Promise<boolean>) {
  let decided = 0;
  for (const group of load(file)) {
    for (const v of group.tests) {
      if (v.result === 'acceptable') continue;
      const ok = await check(group, v);
      expect({ tcId: v.tcId, ok }).toEqual({ tcId: v.tcId, ok: v.result === 'valid' });
      decided++;
    }
  }
  return decided;
}

const SHA: Record<string, HashAlgorithm> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

describe('Wycheproof', () => {
  it.each(['ecdsa_secp256r1_sha256_test.json', 'ecdsa_secp384r1_sha384_test.json'])('%s: over the message (node:crypto) and over the digest (@noble/curves)', async (file) => {
    const decided = await run(file, async (group, v) => {
      const key = importPublicKey(decodeHex(group.publicKeyDer));
      const msg = decodeHex(v.msg);
      const sig = decodeHex(v.sig);
      const alg = SHA[group.sha!]!;
      const overMessage = verifySignature(key, msg, sig, { hash: alg });
      const overDigest = await verifyDigestSignature(key, hash(alg, msg), sig, { hash: alg });
      expect(overDigest).toBe(overMessage);
      return overMessage;
    });
    expect(decided).toBeGreaterThan(300);
  });

  it('RSA PKCS#1 v1.5 2048/SHA-256, over the message and over the digest', async () => {
    const decided = await run('rsa_signature_2048_sha256_test.json', async (group, v) => {
      const key = importPublicKey(decodeHex(group.publicKeyDer));
      const msg = decodeHex(v.msg);
      const sig = decodeHex(v.sig);
      const overMessage = verifySignature(key, msg, sig, { hash: 'sha256' });
      expect(await verifyDigestSignature(key, hash('sha256', msg), sig, { hash: 'sha256' })).toBe(overMessage);
      return overMessage;
    });
    expect(decided).toBeGreaterThan(100);
  });

  it('Ed25519', async () => {
    const decided = await run('ed25519_test.json', (group, v) => verifySignature(importPublicKey(decodeHex(group.publicKeyDer)), decodeHex(v.msg), decodeHex(v.sig)));
    expect(decided).toBeGreaterThan(100);
  });
});
