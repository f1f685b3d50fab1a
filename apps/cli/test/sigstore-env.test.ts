import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { createStack, type Stack } from '@sigil/stack';
import { printedCode, runCli, withProcessEnv, tokenIdentity } from './run-cli.js';

// cosign's private-deployment variables: the local stack's keys and certificates given as
// SIGSTORE_* files (no trusted root file) verify what it signed; --trusted-root wins over them.
const work = mkdtempSync(join(tmpdir(), 'sigil-sigstore-env-'));
const artifact = join(work, 'artifact.txt');
const bundle = join(work, 'artifact.sigstore.json');
let stack: Stack;
let identity: string;
let rekorUrl: string;
const files: Record<string, string> = {};

const pem = (label: string, base64: string) => `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
const write = (name: string, text: string) => {
  writeFileSync(join(work, name), text);
  return join(work, name);
};

beforeAll(async () => {
  writeFileSync(artifact, 'private deployment\n');
  stack = await createStack({ dir: join(work, 'stack') });
  const token = await stack.mintToken();
  identity = tokenIdentity(token);
  const signed = await runCli(['sign-blob', artifact, '--bundle', bundle, '--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot, '--identity-token', token, '--yes']);
  expect(signed.code, signed.stderr).toBe(0);
  // The stack's trusted root, taken apart into the files a private deployment hands out.
  const root = JSON.parse(readFileSync(stack.trustedRoot, 'utf8'));
  rekorUrl = root.tlogs[0].baseUrl;
  files.SIGSTORE_REKOR_PUBLIC_KEY = write('rekor.pub', pem('PUBLIC KEY', root.tlogs[0].publicKey.rawBytes));
  files.SIGSTORE_CT_LOG_PUBLIC_KEY_FILE = write('ctlog.pub', pem('PUBLIC KEY', root.ctlogs[0].publicKey.rawBytes));
  // Root first, as such files often are: the order must not matter.
  files.SIGSTORE_ROOT_FILE = write('fulcio.pem', [...root.certificateAuthorities[0].certChain.certificates].reverse().map((c: { rawBytes: string }) => pem('CERTIFICATE', c.rawBytes)).join(''));
  if (root.timestampAuthorities.length > 0) {
    files.SIGSTORE_TSA_CERTIFICATE_FILE = write('tsa.pem', root.timestampAuthorities[0].certChain.certificates.map((c: { rawBytes: string }) => pem('CERTIFICATE', c.rawBytes)).join(''));
  }
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const verifyWith = (env: Record<string, string>, ...extra: string[]) =>
  withProcessEnv(env, () => runCli(['verify-blob', artifact, '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', stack.oidcIssuer, '--rekor-url', rekorUrl, ...extra]));

describe('SIGSTORE_ROOT_FILE, SIGSTORE_REKOR_PUBLIC_KEY, SIGSTORE_CT_LOG_PUBLIC_KEY_FILE, SIGSTORE_TSA_CERTIFICATE_FILE', () => {
  it('verify against the private instance without a trusted root file', async () => {
    const run = await verifyWith(files);
    expect(run.code, run.stderr).toBe(0);
  });

  it('each one replaces its part only: the public-good Rekor key does not verify the private log', async () => {
    const { SIGSTORE_REKOR_PUBLIC_KEY: _, ...withoutRekor } = files;
    const run = await verifyWith(withoutRekor);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toMatch(/^VERIFY_/);
  });

  it('another Rekor key fails closed', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const run = await verifyWith({ ...files, SIGSTORE_REKOR_PUBLIC_KEY: write('other.pub', other) });
    expect(run.code).toBe(1);
  });

  it('--trusted-root wins over them; a file that is not PEM is named', async () => {
    const garbage = write('garbage.pem', 'not pem');
    expect((await verifyWith({ SIGSTORE_REKOR_PUBLIC_KEY: garbage }, '--trusted-root', stack.trustedRoot)).code).toBe(0);
    const broken = await verifyWith({ SIGSTORE_REKOR_PUBLIC_KEY: garbage });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('SIGSTORE_REKOR_PUBLIC_KEY');
  });

  it('a PUBLIC KEY block that holds no key, or an unsupported one, is named with its variable (it was an internal error, or taken for P-256)', async () => {
    const notAKey = write('not-a-key.pem', pem('PUBLIC KEY', 'AAAA'));
    const secp256k1 = write('secp256k1.pem', generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }) as string);
    for (const name of ['SIGSTORE_REKOR_PUBLIC_KEY', 'SIGSTORE_CT_LOG_PUBLIC_KEY_FILE']) {
      for (const path of [notAKey, secp256k1]) {
        const run = await verifyWith({ ...files, [name]: path });
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toContain(`${name}=${path}: expected PEM public keys, found a PUBLIC KEY block that is not a supported key`);
        expect(run.stderr).not.toContain('internal error');
      }
    }
  });
});
