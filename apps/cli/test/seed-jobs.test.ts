import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestImage, pushTestImage, startDockerRegistry, type DockerRegistry } from '@sigil/registry';
import { createStack, type Stack } from '@sigil/stack';
import { repoRoot } from './run-cli.js';

// The seed's GitLab jobs, script lines as written with `sigil` in place of `cosign`, run by
// bash in a simulated job: GitLab's predefined variables, the job's ID token minted by the
// local stack for the project, and the stack named through CI variables (the only change a
// job needs to sign against another Sigstore instance).
const run = promisify(execFile);
const seed = JSON.parse(readFileSync(join(repoRoot, 'test-infra/fixtures/seed/gitlab-jobs.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'sigil-seed-'));
const bin = join(work, 'bin');
let stack: Stack;
let registry: DockerRegistry;
const REGISTRY_USER = { username: 'gitlab-ci-token', password: 'job-registry-password' };

beforeAll(async () => {
  await run(process.execPath, [join(repoRoot, 'apps/cli/build.mjs')]);
  mkdirSync(bin);
  writeFileSync(join(bin, 'sigil'), `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'apps/cli/dist/sigil.cjs')}" "$@"\n`);
  chmodSync(join(bin, 'sigil'), 0o755);
  stack = await createStack({ dir: join(work, 'stack') });
  registry = await startDockerRegistry({ auth: REGISTRY_USER });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await registry?.close();
});

async function gitlabJob(name: string, dir: string, project = 'my-group/my-project', ref = 'main', extraEnv: Record<string, string> = {}) {
  const job = seed.jobs[name];
  const token = await stack.mintToken({ kind: 'gitlab', host: 'gitlab.com', project, ref, claims: { ci_config_ref_uri: `gitlab.com/${project}//path/to/.gitlab-ci.yml@refs/heads/${ref}` } });
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: dir,
    CI: 'true',
    GITLAB_CI: 'true',
    CI_SERVER_URL: stack.oidcIssuer,
    CI_PROJECT_PATH: project,
    CI_COMMIT_REF_NAME: ref,
    CI_CONFIG_PATH: 'path/to/.gitlab-ci.yml',
    CI_JOB_NAME: name,
    SIGIL_SIGNING_CONFIG: stack.signingConfig,
    SIGIL_TRUSTED_ROOT: stack.trustedRoot,
    // The job's registry (docker login in the seed): GitLab's own variables, over plain
    // http on loopback, which cosign's COSIGN_ALLOW_INSECURE_REGISTRY allows.
    CI_REGISTRY: registry.host,
    CI_REGISTRY_IMAGE: `${registry.host}/${project}`,
    CI_REGISTRY_USER: REGISTRY_USER.username,
    CI_REGISTRY_PASSWORD: REGISTRY_USER.password,
    CI_COMMIT_SHORT_SHA: 'a1b2c3d4',
    COSIGN_ALLOW_INSECURE_REGISTRY: 'true',
    ...extraEnv,
    ...(job.variables ?? {}),
    ...(job.id_tokens ? { SIGSTORE_ID_TOKEN: token } : {}),
  };
  const outputs: { line: string; stdout: string; stderr: string }[] = [];
  for (const written of job.script as string[]) {
    // The issuer of the seed's verify line is GitLab.com; here it is the local stack's issuer.
    const line = written.replaceAll('cosign ', 'sigil ').replace('"https://gitlab.com"', JSON.stringify(stack.oidcIssuer));
    const { stdout, stderr } = await run('bash', ['-eo', 'pipefail', '-c', line], { cwd: dir, env });
    outputs.push({ line, stdout, stderr });
  }
  return outputs;
}

describe("the seed's GitLab jobs with sigil", () => {
  it('build_and_sign_artifact, then verify_artifact', async () => {
    const dir = join(work, 'pipeline');
    mkdirSync(dir);
    const signed = await gitlabJob('build_and_sign_artifact', dir);
    expect(signed[1]!.stderr).toContain('tlog entry created with index');
    for (const artifact of seed.jobs.build_and_sign_artifact.artifacts) expect(existsSync(join(dir, artifact))).toBe(true);
    const verified = await gitlabJob('verify_artifact', dir);
    expect(verified[0]!.stderr).toContain('Verified OK');
  }, 60_000);

  it('verify_artifact fails for a job of another project, with both identities shown', async () => {
    const dir = join(work, 'other-project');
    mkdirSync(dir);
    await gitlabJob('build_and_sign_artifact', dir, 'my-group/other-project');
    const failure = await gitlabJob('verify_artifact', dir).catch((err: { code: number; stderr: string }) => err);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('POLICY_IDENTITY_MISMATCH');
    expect((failure as { stderr: string }).stderr).toContain('my-group/other-project');
  }, 60_000);

  it('verify_artifact fails for a tampered artifact', async () => {
    const dir = join(work, 'tampered');
    mkdirSync(dir);
    await gitlabJob('build_and_sign_artifact', dir);
    writeFileSync(join(dir, 'artifact.txt'), 'This is not the build artifact\n');
    const failure = await gitlabJob('verify_artifact', dir).catch((err: { code: number; stderr: string }) => err);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('VERIFY_ARTIFACT_MISMATCH');
  }, 60_000);

  describe('container images', () => {
    /** The Cosign template's build: the image is pushed as :$CI_COMMIT_SHORT_SHA, then signed by digest. */
    async function pushImage(project: string, content?: string) {
      const image = buildTestImage(content ? { content } : {});
      const pushed = await pushTestImage(registry.url, project, 'a1b2c3d4', image, REGISTRY_USER);
      return { IMAGE_DIGEST: pushed.reference };
    }

    it('sign_image (the Cosign template), then verify_image as written', async () => {
      const dir = join(work, 'image');
      mkdirSync(dir);
      const signed = await gitlabJob('sign_image', dir, 'my-group/my-project', 'main', await pushImage('my-group/my-project'));
      expect(signed[0]!.stderr).toContain('tlog entry created with index');
      const verified = await gitlabJob('verify_image', dir);
      // cosign 3's output for a bundle: the claims only (transformOutput keeps no certificate), the header on stderr.
      const payloads = JSON.parse(verified[0]!.stdout);
      expect(payloads).toHaveLength(1);
      expect(payloads[0].critical.type).toBe('https://sigstore.dev/cosign/sign/v1');
      expect(payloads[0].critical.image['docker-manifest-digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(payloads[0].optional).toEqual({});
      expect(verified[0]!.stderr).toContain('The code-signing certificate was verified using trusted certificate authority certificates');
    }, 60_000);

    it('verify_image fails for an image signed by another project, and for an unsigned one', async () => {
      const dir = join(work, 'image-other');
      mkdirSync(dir);
      const other = 'my-group/other-project';
      await gitlabJob('sign_image', dir, other, 'main', await pushImage(other, 'another build\n'));
      const failure = await gitlabJob('verify_image', dir, other).catch((err: { code: number; stderr: string }) => err);
      expect(failure).toMatchObject({ code: 1 });
      expect((failure as { stderr: string }).stderr).toContain('POLICY_IDENTITY_MISMATCH');
      expect((failure as { stderr: string }).stderr).toContain(other);

      await pushImage('my-group/unsigned', 'never signed\n');
      const unsigned = await gitlabJob('verify_image', dir, 'my-group/unsigned').catch((err: { code: number; stderr: string }) => err);
      // cosign's exit code for an image without signatures.
      expect(unsigned).toMatchObject({ code: 10 });
      expect((unsigned as { stderr: string }).stderr).toContain('no signatures found');
    }, 60_000);

    it('sign_image with cosign 2 storage (--legacy-format) verifies too', async () => {
      const dir = join(work, 'image-legacy');
      mkdirSync(dir);
      const project = 'my-group/legacy';
      const env = await pushImage(project, 'legacy build\n');
      const job = seed.jobs.sign_image;
      seed.jobs.sign_image_legacy = { ...job, script: [`${job.script[0]} --legacy-format`] };
      await gitlabJob('sign_image_legacy', dir, project, 'main', env);
      const token = await stack.mintToken({ kind: 'gitlab', host: 'gitlab.com', project, claims: { ci_config_ref_uri: `gitlab.com/${project}//path/to/.gitlab-ci.yml@refs/heads/main` } });
      expect(token).not.toBe('');
      const verified = await run(join(bin, 'sigil'), [
        'verify', `${registry.host}/${project}:a1b2c3d4`, '--certificate-identity', `https://gitlab.com/${project}//path/to/.gitlab-ci.yml@refs/heads/main`,
        '--certificate-oidc-issuer', stack.oidcIssuer, '--trusted-root', stack.trustedRoot, '--allow-insecure-registry',
        '--registry-username', REGISTRY_USER.username, '--registry-password', REGISTRY_USER.password, '--output', 'text',
      ]);
      // -o text as cosign: the simple-signing payload on stdout, the certificate's identity on stderr.
      expect(JSON.parse(verified.stdout).critical.type).toBe('cosign container image signature');
      expect(verified.stderr).toContain(`Certificate subject: https://gitlab.com/${project}//path/to/.gitlab-ci.yml@refs/heads/main`);
    }, 60_000);
  });
});
