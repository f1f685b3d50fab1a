import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, type Stack } from '@sigil/stack';
import { printedCode, runCli } from './run-cli.js';

// --gitlab-project presets on the verify commands: a job's bundle verifies with the project,
// ref and config path a consumer knows, and not for another project, branch or config. The
// local stack stands in for a self-managed GitLab at its issuer URL (--gitlab-url).
const work = mkdtempSync(join(tmpdir(), 'sigil-presets-'));
const artifact = join(work, 'artifact.txt');
const bundle = join(work, 'artifact.sigstore.json');
let stack: Stack;

beforeAll(async () => {
  writeFileSync(artifact, 'built by a tagged pipeline\n');
  stack = await createStack({ dir: join(work, 'stack') });
  const host = stack.oidcIssuer.replace(/^https?:\/\//, '');
  const token = await stack.mintToken({ host, project: 'platform/api', ref: 'v1.4.0', refType: 'tag' });
  const signed = await runCli(['sign-blob', artifact, '--bundle', bundle, '--identity-token', token, '--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot, '--yes']);
  expect(signed.code, signed.stderr).toBe(0);
}, 60_000);
afterAll(async () => stack?.close());

const verify = (...flags: string[]) => runCli(['verify-blob', artifact, '--bundle', bundle, '--trusted-root', stack.trustedRoot, '--gitlab-url', stack.oidcIssuer, ...flags]);

describe('GitLab policy presets', () => {
  it('verify with the project alone (any ref), with the tag, and with the full ref', async () => {
    for (const flags of [['--gitlab-project', 'platform/api'], ['--gitlab-project', 'platform/api', '--gitlab-tag', 'v1.4.0'], ['--gitlab-project', 'platform/api', '--gitlab-ref', 'refs/tags/v1.4.0']]) {
      const run = await verify(...flags);
      expect(run.code, `${flags.join(' ')}: ${run.stderr}`).toBe(0);
    }
  });

  it('refuse another project, a branch of the same name, another config path and another instance', async () => {
    expect(printedCode(await verify('--gitlab-project', 'platform/web'))).toBe('POLICY_IDENTITY_MISMATCH');
    expect(printedCode(await verify('--gitlab-project', 'platform/api', '--gitlab-branch', 'v1.4.0'))).toBe('POLICY_IDENTITY_MISMATCH');
    expect(printedCode(await verify('--gitlab-project', 'platform/api', '--gitlab-config-path', 'ci/release.yml'))).toBe('POLICY_IDENTITY_MISMATCH');
    const otherInstance = await runCli(['verify-blob', artifact, '--bundle', bundle, '--trusted-root', stack.trustedRoot, '--gitlab-project', 'platform/api']);
    expect(printedCode(otherInstance)).toMatch(/^POLICY_(IDENTITY|ISSUER)_MISMATCH$/);
  });

  it('narrow further with --certificate-extension', async () => {
    expect(printedCode(await verify('--gitlab-project', 'platform/api', '--certificate-extension', 'Source Repository Ref=refs/heads/main'))).toBe('POLICY_EXTENSION_MISMATCH');
  });

  it('may not be loosened by an extension flag that contradicts a pin', async () => {
    expect((await verify('--gitlab-project', 'platform/api', '--gitlab-tag', 'v1.4.0', '--certificate-extension', 'Source Repository Ref=refs/heads/main')).code).toBe(2);
    expect((await verify('--gitlab-project', 'platform/api', '--gitlab-tag', 'v1.4.0', '--certificate-extension', 'sourceRepositoryRef=refs/tags/v1.4.0')).code).toBe(0);
    expect((await verify('--gitlab-project', 'platform/api', '--certificate-extension', 'Runner Environment=x', '--certificate-extension', 'Runner Environment=y')).code).toBe(2);
  });

  it('are usage errors when mixed with identity flags, or malformed', async () => {
    expect((await verify('--gitlab-project', 'platform/api', '--certificate-identity', 'x')).code).toBe(2);
    expect((await verify('--gitlab-project', 'platform/api', '--gitlab-tag', 'v1', '--gitlab-branch', 'main')).code).toBe(2);
    expect((await verify('--gitlab-project', '../etc')).code).toBe(2);
    expect((await verify('--gitlab-tag', 'v1')).code).toBe(2);
    expect((await runCli(['verify-blob', artifact, '--bundle', bundle, '--gitlab-project', 'platform/api', '--gitlab-url', 'http://gitlab.example.com'])).code).toBe(2);
  });
});
