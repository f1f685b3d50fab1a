import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@sigil/crypto';
import { decodeBase64, decodePemBlocks, utf8Encode } from '@sigil/encoding';
import { generateEphemeralSigner } from '@sigil/keys';
import { createStack, type Stack } from '@sigil/stack';
import { loadTrustMaterialFile } from '@sigil/trust';
import { artifactFromBytes, certificateIdentity, Verifier } from '@sigil/verify';
import { detachedBundle } from '../src/detached/detached-bundle.js';
import { runCli } from './run-cli.js';

// cosign 2 style material (a .sig and a .pem beside the artifact, no bundle): the log entry is
// found by content in the stack's Rekor and verified like a bundle's.
const work = mkdtempSync(join(tmpdir(), 'sigil-detached-'));
let stack: Stack;
let identity: string;
const content = utf8Encode('release artifact\n');

interface Signed {
  signature: Uint8Array;
  certificates: Uint8Array[];
}

async function signDetached(name: string, bytes: Uint8Array): Promise<Signed> {
  const file = join(work, name);
  writeFileSync(file, bytes);
  const token = await stack.mintToken();
  const run = await runCli(['sign-blob', file, '--bundle', `${file}.bundle`, '--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot, '--identity-token', token, '--yes', '--output-signature', `${file}.sig`, '--output-certificate', `${file}.pem`]);
  expect(run.code).toBe(0);
  return {
    signature: decodeBase64(readFileSync(`${file}.sig`, 'utf8').trim()),
    certificates: decodePemBlocks(readFileSync(`${file}.pem`, 'utf8')).map((b) => b.der),
  };
}

beforeAll(async () => {
  stack = await createStack({ dir: join(work, 'stack') });
  const claims = JSON.parse(Buffer.from((await stack.mintToken()).split('.')[1]!, 'base64url').toString());
  identity = `https://${claims.ci_config_ref_uri}`;
}, 60_000);
afterAll(async () => {
  await stack?.close();
  rmSync(work, { recursive: true, force: true });
});

const policy = () => ({ identities: [certificateIdentity({ identity, issuer: stack.oidcIssuer })] });
const verifier = () => new Verifier(loadTrustMaterialFile(stack.trustedRoot));

describe('detachedBundle', () => {
  it('finds the entry by content and the assembled bundle verifies (body, SET, proof, certificate at the integrated time)', async () => {
    const signed = await signDetached('a.txt', content);
    const bundle = await detachedBundle({ ...signed, sha256: sha256(content) }, { url: stack.rekorURL });
    expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    const result = await verifier().verify(bundle, artifactFromBytes(content), policy());
    expect(result.signer?.identity).toBe(identity);
  });

  it('another artifact: the signature does not verify, and the log is not asked', async () => {
    const signed = await signDetached('b.txt', utf8Encode('b'));
    await expect(detachedBundle({ ...signed, sha256: sha256(utf8Encode('not b')) }, { url: stack.rekorURL })).rejects.toMatchObject({ code: 'VERIFY_SIGNATURE_INVALID' });
  });

  it("another signing's certificate: the signature does not verify with it", async () => {
    const first = await signDetached('c.txt', utf8Encode('c'));
    const second = await signDetached('d.txt', utf8Encode('d'));
    await expect(detachedBundle({ signature: first.signature, certificates: second.certificates, sha256: sha256(utf8Encode('c')) }, { url: stack.rekorURL })).rejects.toMatchObject({
      code: 'VERIFY_SIGNATURE_INVALID',
    });
  });

  it('a good signature that was never logged: no entry is found', async () => {
    const signer = generateEphemeralSigner();
    const bytes = utf8Encode('never logged');
    const signature = await signer.sign(bytes);
    await expect(detachedBundle({ signature, publicKey: signer.publicKey, sha256: sha256(bytes) }, { url: stack.rekorURL })).rejects.toMatchObject({ code: 'CLI_TLOG_ENTRY_NOT_FOUND' });
  });

  it('without a log lookup the bundle has no entry and verification fails closed', async () => {
    const signed = await signDetached('e.txt', utf8Encode('e'));
    const bundle = await detachedBundle({ ...signed, sha256: sha256(utf8Encode('e')) }, undefined);
    await expect(verifier().verify(bundle, artifactFromBytes(utf8Encode('e')), policy())).rejects.toMatchObject({ code: expect.stringMatching(/^VERIFY_/) });
  });
});
