import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVirtualSigstore, defaultGitlabClaims } from '@sigil/stack';
import { printedCode, runCli } from './run-cli.js';

// GitLab-signed bundles from the in-process local Sigstore (the public corpus has none):
// the seed's verify_artifact job, and GitLab's Fulcio extensions pinned by name.
const dir = mkdtempSync(join(tmpdir(), 'sigil-gitlab-'));
const artifact = join(dir, 'artifact.txt');
const bundle = join(dir, 'cosign.bundle');
const trustedRoot = join(dir, 'trusted_root.json');
const IDENTITY = 'https://gitlab.com/my-group/my-project//path/to/.gitlab-ci.yml@refs/heads/main';
const ISSUER = 'https://gitlab.com';

beforeAll(() => {
  const sigstore = createVirtualSigstore();
  const content = new TextEncoder().encode('This is a build artifact\n');
  writeFileSync(artifact, content);
  const claims = defaultGitlabClaims({ project: 'my-group/my-project', ref: 'main', configPath: 'path/to/.gitlab-ci.yml' });
  writeFileSync(bundle, JSON.stringify(sigstore.signBlob({ artifact: content, identity: { gitlab: claims } })));
  writeFileSync(trustedRoot, JSON.stringify(sigstore.trustedRootJson));
});

const verify = (...flags: string[]) => runCli(['verify-blob', artifact, '--bundle', bundle, '--trusted-root', trustedRoot, ...flags]);

describe('GitLab CI signatures', () => {
  it("pass the seed's verify_artifact command", async () => {
    const run = await verify('--certificate-identity', IDENTITY, '--certificate-oidc-issuer', ISSUER);
    expect(run.code, run.stderr).toBe(0);
  });

  it('pin GitLab extensions by name', async () => {
    const run = await verify(
      '--certificate-identity', IDENTITY, '--certificate-oidc-issuer', ISSUER,
      '--certificate-extension', 'Source Repository URI=https://gitlab.com/my-group/my-project',
      '--certificate-extension', 'Source Repository Ref=refs/heads/main',
      '--certificate-extension', `Build Config URI=${IDENTITY}`,
      '--certificate-extension', 'Build Trigger=push',
      '--certificate-extension', 'Runner Environment=gitlab-hosted',
      '--certificate-extension', 'Source Repository Visibility At Signing=public',
    );
    expect(run.code, run.stderr).toBe(0);
  });

  it.each([
    ['another project', ['--certificate-identity', IDENTITY.replace('my-project', 'my-project-evil')], 'POLICY_IDENTITY_MISMATCH'],
    ['another ref', ['--certificate-identity', IDENTITY.replace('heads/main', 'tags/v1.0.0')], 'POLICY_IDENTITY_MISMATCH'],
    ['a self-hosted runner pinned', ['--certificate-identity', IDENTITY, '--certificate-extension', 'Runner Environment=self-hosted'], 'POLICY_EXTENSION_MISMATCH'],
    ['a scheduled pipeline pinned', ['--certificate-identity', IDENTITY, '--certificate-extension', 'Build Trigger=schedule'], 'POLICY_EXTENSION_MISMATCH'],
  ])('reject %s', async (_, flags, code) => {
    const run = await verify(...flags, '--certificate-oidc-issuer', ISSUER);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe(code);
  });

  it('reject a self-managed instance issuer', async () => {
    expect(printedCode(await verify('--certificate-identity', IDENTITY, '--certificate-oidc-issuer', 'https://gitlab.example.com'))).toBe('POLICY_ISSUER_MISMATCH');
  });

  it('match an anchored regexp over the project, any config and any branch', async () => {
    const run = await verify('--certificate-identity-regexp', '^https://gitlab\\.com/my-group/my-project//.+@refs/heads/.+$', '--certificate-oidc-issuer', ISSUER);
    expect(run.code, run.stderr).toBe(0);
  });

  it('show every GitLab extension in inspect', async () => {
    const run = await runCli(['inspect', bundle]);
    for (const title of ['Source Repository URI', 'Source Repository Ref', 'Build Config URI', 'Build Trigger', 'Runner Environment', 'Run Invocation URI']) {
      expect(run.stdout).toContain(`${title}:`);
    }
  });
});
