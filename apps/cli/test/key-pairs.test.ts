import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { startGitlabApi, type GitlabApiServer } from '@sigil/gitlab-api';
import { loadPrivateKey } from '@sigil/keys';
import { printedCode, repoRoot, runCli } from './run-cli.js';

const cosignVector = (name: string) => join(repoRoot, `packages/keys/test/fixtures/cosign/${name}.pem`);
const PASSWORD = 'Test.Password~42';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-keys-'));
  vi.stubEnv('COSIGN_PASSWORD', PASSWORD);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('generate-key-pair', () => {
  it('writes PREFIX.key (0600, encrypted) and PREFIX.pub, and refuses to overwrite the key', async () => {
    const prefix = join(dir, 'release');
    const run = await runCli(['generate-key-pair', '--output-key-prefix', prefix]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`Private key written to ${prefix}.key`);
    expect(statSync(`${prefix}.key`).mode & 0o777).toBe(0o600);
    const pem = readFileSync(`${prefix}.key`, 'utf8');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----/);
    const key = await loadPrivateKey(pem, new TextEncoder().encode(PASSWORD));
    expect(createPublicKey(key).export({ format: 'pem', type: 'spki' })).toBe(readFileSync(`${prefix}.pub`, 'utf8'));
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);

    const again = await runCli(['generate-key-pair', '--output-key-prefix', prefix]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; not overwritten');
    expect(readFileSync(`${prefix}.key`, 'utf8')).toBe(pem);
  });

  it('refuses KMS by name', async () => {
    const run = await runCli(['generate-key-pair', '--kms', 'awskms://alias/release']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--kms is not supported by sigil: keys held in a KMS');
  });
});

describe('import-key-pair and public-key', () => {
  it("imports cosign's PKCS#1 RSA vector and prints its public key back", async () => {
    const prefix = join(dir, 'imported');
    const run = await runCli(['import-key-pair', '--key', cosignVector('validrsapkcs1'), '-o', prefix]);
    expect(run.code).toBe(0);
    expect(statSync(`${prefix}.key`).mode & 0o777).toBe(0o600);
    const shown = await runCli(['public-key', '--key', `${prefix}.key`]);
    expect(shown.code).toBe(0);
    const expected = createPublicKey(createPrivateKey(readFileSync(cosignVector('validrsapkcs1'), 'utf8'))).export({ format: 'pem', type: 'spki' });
    expect(shown.stdout).toBe(expected);
    expect(readFileSync(`${prefix}.pub`, 'utf8')).toBe(expected);
  });

  it("refuses cosign's invalid vectors with their reasons", async () => {
    const small = await runCli(['import-key-pair', '--key', cosignVector('invalidrsasmallkey'), '-o', join(dir, 'x')]);
    expect(printedCode(small)).toBe('KEYS_UNSUPPORTED_KEY');
    expect(small.stderr).toContain('found 1024');
  });

  it('public-key reads cosign\'s own encrypted key (env:// form) and a wrong password is named as such', async () => {
    vi.stubEnv('RELEASE_KEY', readFileSync(cosignVector('pemsigstorekey'), 'utf8'));
    vi.stubEnv('COSIGN_PASSWORD', 'hello');
    const ok = await runCli(['public-key', '--key', 'env://RELEASE_KEY', '--outfile', join(dir, 'k.pub')]);
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'k.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    vi.stubEnv('COSIGN_PASSWORD', 'not hello');
    const bad = await runCli(['public-key', '--key', 'env://RELEASE_KEY']);
    expect(printedCode(bad)).toBe('KEYS_WRONG_PASSWORD');
    expect(bad.stderr).not.toContain('not hello');
  });

  it('an existing output is replaced by import-key-pair only with --yes', async () => {
    const prefix = join(dir, 'again');
    writeFileSync(`${prefix}.key`, 'old');
    expect((await runCli(['import-key-pair', '--key', cosignVector('validecp256'), '-o', prefix])).code).toBe(2);
    expect(readFileSync(`${prefix}.key`, 'utf8')).toBe('old');
    expect((await runCli(['import-key-pair', '--key', cosignVector('validecp256'), '-o', prefix, '--yes'])).code).toBe(0);
    expect(readFileSync(`${prefix}.key`, 'utf8')).toMatch(/ENCRYPTED SIGSTORE/);
  });

  it('--sk is refused by name', async () => {
    const run = await runCli(['public-key', '--sk']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--sk');
  });
});

describe('gitlab:// keys', () => {
  let gitlab: GitlabApiServer;
  const cwd = process.cwd();
  beforeEach(async () => {
    gitlab = await startGitlabApi({ projects: { 'acme/app': 42 }, tokens: { 'glpat-test-token-1': 'maintainer' } });
    vi.stubEnv('GITLAB_HOST', gitlab.url);
    vi.stubEnv('GITLAB_TOKEN', 'glpat-test-token-1');
    process.chdir(dir);
  });
  afterEach(async () => {
    process.chdir(cwd);
    await gitlab.close();
  });

  it('generate-key-pair gitlab://acme/app stores the pair (protected, password masked), and public-key reads it back', async () => {
    const run = await runCli(['generate-key-pair', 'gitlab://acme/app']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('protected, masked');
    const variables = gitlab.variables('project:acme/app');
    expect([...variables.keys()].sort()).toEqual(['COSIGN_PASSWORD', 'COSIGN_PRIVATE_KEY', 'COSIGN_PUBLIC_KEY']);
    expect(readFileSync(join(dir, 'cosign.pub'), 'utf8')).toBe(variables.get('COSIGN_PUBLIC_KEY')!.value);
    vi.stubEnv('COSIGN_PASSWORD', undefined);
    const shown = await runCli(['public-key', '--key', 'gitlab://42']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(variables.get('COSIGN_PUBLIC_KEY')!.value);
    for (const out of [run.stdout, run.stderr, shown.stderr]) {
      expect(out).not.toContain(PASSWORD);
      expect(out).not.toContain('glpat-test-token-1');
    }
  });

  it('a password GitLab cannot mask is refused unless --gitlab-mask-password=false', async () => {
    vi.stubEnv('COSIGN_PASSWORD', 'short');
    expect(printedCode(await runCli(['generate-key-pair', 'gitlab://acme/app']))).toBe('CI_GITLAB_PASSWORD_NOT_MASKABLE');
    const run = await runCli(['generate-key-pair', 'gitlab://acme/app', '--gitlab-mask-password=false']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('NOT masked');
  });
});
