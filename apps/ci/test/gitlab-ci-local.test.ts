import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerRegistry, type DockerRegistry } from '@sigil/registry';
import { createStack, type Stack } from '@sigil/stack';
import { startDockerShim, type DockerShim } from './support/docker-shim.js';
import { createProject, installRunnerShell, runPipeline, type PipelineKind, type PipelineResult, type Project } from './support/gitlab-ci-local.js';
import { loadTemplate, type GitlabJob } from './support/gitlab-runner.js';
import { gitlabEnv } from './support/job-env.js';
import { mintJobToken } from './support/job-token.js';
import { publishWithProvenance } from './support/npm-provenance.js';
import { startTestWeb, type TestWeb } from './support/test-web.js';

// The templates as a GitLab user runs them, through gitlab-ci-local (see
// support/gitlab-ci-local.ts for what it is given that it does not do itself): a producer
// project includes all five (`include: remote:`) and runs a branch, a tag and a merge request
// pipeline; a consumer project includes verify-image and npm-provenance, pins the producer's
// project and ref, and passes for them and fails for another ref or project. sigil gets into
// every job the templates' default way: sigil.cjs of a release made by scripts/release,
// downloaded and checked against its SHA-256. Around them: the local Sigstore stack as the
// instance's, Debian's docker-registry as its container registry (a `docker` stand-in pushes
// a prepared image: support/docker-shim.ts), and a web server that serves the release, the
// templates and an npm registry (support/test-web.ts).
const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../../..');
const templates = join(here, '../templates');
const work = mkdtempSync(join(tmpdir(), 'sigil-gitlab-ci-local-'));
const REGISTRY_USER = 'gitlab-ci-token';
const REGISTRY_PASSWORD = randomBytes(12).toString('hex');
const PRODUCER = 'my-group/my-project';
const CONSUMER = 'consumer/app';
const ALL = ['Sigil.gitlab-ci.yml', 'verify-image.gitlab-ci.yml', 'sign-artifact.gitlab-ci.yml', 'attest-provenance.gitlab-ci.yml', 'npm-provenance.gitlab-ci.yml'];

let stack: Stack;
let registry: DockerRegistry;
let docker: DockerShim;
let web: TestWeb;
let path: string;
let containerEngine: string;
let release: { dir: string; sha256: string };
const timings: string[] = [];
const validated = new Set<string>();

beforeAll(async () => {
  stack = await createStack({ dir: join(work, 'stack') });
  [registry, web] = await Promise.all([startDockerRegistry({ auth: { username: REGISTRY_USER, password: REGISTRY_PASSWORD } }), startTestWeb()]);
  const bin = join(work, 'bin');
  mkdirSync(bin);
  docker = await startDockerShim(bin, registry);
  const shell = installRunnerShell(work);
  containerEngine = shell.containerEngine;
  // No sigil on this PATH: every job installs it.
  path = [...shell.path, bin, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
  release = await makeRelease();
  for (const file of ['sigil.cjs', 'SHA256SUMS', 'sigil.cjs.sigstore.json', 'SHA256SUMS.sigstore.json']) web.put(`/release/v0.1.0/${file}`, readFileSync(join(release.dir, file)));
  for (const file of ALL) web.put(`/templates/${file}`, readFileSync(join(templates, file)), 'text/plain');
}, 180_000);

afterAll(async () => {
  await docker?.close();
  await registry?.close();
  await web?.close();
  await stack?.close();
  rmSync(work, { recursive: true, force: true });
  if (timings.length) console.log(`gitlab-ci-local pipelines:\n  ${timings.join('\n  ')}`);
});

/** scripts/release, signed as a tag pipeline of the Sigil project on this instance. */
async function makeRelease(): Promise<{ dir: string; sha256: string }> {
  const dir = join(work, 'release');
  const token = await mintJobToken(stack, { CI_SERVER_URL: stack.oidcIssuer, CI_PROJECT_PATH: 'sigil/sigil', CI_CONFIG_PATH: '.gitlab-ci.yml', CI_COMMIT_TAG: 'v0.1.0', CI_COMMIT_REF_NAME: 'v0.1.0', CI_COMMIT_SHA: '1'.repeat(40), CI_PROJECT_ID: '1', CI_PIPELINE_ID: '1', CI_PIPELINE_SOURCE: 'push' }, 'sigstore');
  await run('bash', [join(repo, 'scripts/release'), dir], {
    cwd: work,
    env: { ...process.env, SIGSTORE_ID_TOKEN: token, SIGIL_SIGNING_CONFIG: stack.signingConfig, SIGIL_TRUSTED_ROOT: stack.trustedRoot },
    maxBuffer: 16 * 1024 * 1024,
  });
  const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
  const sha256 = /^([0-9a-f]{64}) {2}sigil\.cjs$/m.exec(sums)?.[1];
  if (!sha256) throw new Error(`SHA256SUMS: expected a line for sigil.cjs, found ${sums}`);
  return { dir, sha256 };
}

/** What publish_npm leaves on the registry after a tag pipeline of the producer (see support/npm-provenance.ts). */
async function publishFromTag(tag: string, version: string): Promise<void> {
  const env = {
    ...gitlabEnv({ server: stack.oidcIssuer, project: PRODUCER, ref: tag, refType: 'tag', jobName: 'publish_npm' }),
    CI_COMMIT_SHA: createHash('sha1').update(tag).digest('hex'),
  };
  web.publish(await publishWithProvenance(work, stack, env, version, await mintJobToken(stack, env, 'sigstore')));
}

function includeAll(files: string[]): string {
  return `include:\n${files.map((file) => `  - remote: ${web.url}/templates/${file}\n`).join('')}`;
}

function jobsOf(files: string[]): Record<string, GitlabJob> {
  return Object.assign({}, ...files.map((file) => loadTemplate(join(templates, file)).jobs));
}

async function pipeline(project: Project, kind: PipelineKind, files: string[], settings: Record<string, string> = {}, changes?: Record<string, string>): Promise<PipelineResult> {
  const result = await runPipeline(project, {
    pipeline: kind,
    ...(changes ? { changes } : {}),
    // GitLab's schema, checked on each project's first run (the configuration stays the same).
    validateSchema: !validated.has(project.path),
    server: stack.oidcIssuer,
    path,
    containerEngine,
    jobs: jobsOf(files),
    mint: (env, aud) => mintJobToken(stack, env, aud),
    predefined: {
      CI_REGISTRY: registry.host,
      CI_REGISTRY_USER: REGISTRY_USER,
      CI_REGISTRY_PASSWORD: REGISTRY_PASSWORD,
      CI_RUNNER_ID: '12270835',
      CI_RUNNER_DESCRIPTION: 'sigil-gitlab-ci-local',
    },
    settings: {
      // The instance's Sigstore and the pinned sigil: CI/CD variables of the project (or group).
      SIGIL_SIGNING_CONFIG: stack.signingConfig,
      SIGIL_TRUSTED_ROOT: stack.trustedRoot,
      SIGIL_CLI_URL: `${web.url}/release/v0.1.0/sigil.cjs`,
      SIGIL_CLI_SHA256: release.sha256,
      // Debian's registry speaks plain http on loopback; cosign's variable for the flag.
      COSIGN_ALLOW_INSECURE_REGISTRY: 'true',
      NPM_REGISTRY: web.url,
      ...settings,
    },
    env: { TMPDIR: join(work, 'tmp'), npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' },
  });
  validated.add(project.path);
  timings.push(`${project.path} ${JSON.stringify(kind)}: ${result.seconds.toFixed(1)} s, jobs ${Object.entries(result.jobs).map(([name, job]) => `${name}=${job.passed ? 'pass' : 'fail'}`).join(' ')}`);
  return result;
}

function expectJobs(result: PipelineResult, passing: string[]): void {
  const summary = Object.fromEntries(Object.entries(result.jobs).map(([name, job]) => [name, job.passed]));
  const failed = Object.values(result.jobs).filter((job) => !job.passed).map((job) => `--- ${job.name}\n${job.log}`).join('\n');
  expect(summary, `${failed}\n--- output\n${result.output.slice(-4000)}`).toEqual(Object.fromEntries(passing.map((name) => [name, true])));
  expect(result.code).toBe(0);
}

const printedCodes = (log: string) => [...log.matchAll(/\b((?:POLICY|VERIFY|IMAGE|NPM)_[A-Z_]+)\b/g)].map((match) => match[1]);

describe('scripts/release', () => {
  it('builds one file, sigil.cjs, writes SHA256SUMS and signs both with sigil itself; a release verifies before use', async () => {
    expect(readdirSync(release.dir).sort()).toEqual(['SHA256SUMS', 'SHA256SUMS.sigstore.json', 'sigil.cjs', 'sigil.cjs.sigstore.json']);
    expect(createHash('sha256').update(readFileSync(join(release.dir, 'sigil.cjs'))).digest('hex')).toBe(release.sha256);
    // What a user does before pinning it: verify the bundles against the releasing pipeline.
    const identity = `https://${stack.oidcIssuer.replace(/^http:\/\//, '')}/sigil/sigil//.gitlab-ci.yml@refs/tags/v0.1.0`;
    const verify = (file: string, who: string) =>
      run(process.execPath, [join(release.dir, 'sigil.cjs'), 'verify-blob', join(release.dir, file), '--bundle', join(release.dir, `${file}.sigstore.json`), '--certificate-identity', who, '--certificate-oidc-issuer', stack.oidcIssuer, '--trusted-root', stack.trustedRoot], { cwd: work });
    for (const file of ['sigil.cjs', 'SHA256SUMS']) expect((await verify(file, identity)).stderr).toContain('Verified OK');
    await expect(verify('SHA256SUMS', identity.replace('v0.1.0', 'v0.1.1'))).rejects.toMatchObject({ stderr: expect.stringContaining('POLICY_IDENTITY_MISMATCH') });
    // It runs alone, copied anywhere.
    const alone = join(work, 'alone');
    mkdirSync(alone);
    writeFileSync(join(alone, 'sigil.cjs'), readFileSync(join(release.dir, 'sigil.cjs')));
    chmodSync(join(alone, 'sigil.cjs'), 0o755);
    expect((await run(process.execPath, [join(alone, 'sigil.cjs'), '--version'])).stdout).toMatch(/^sigil \d+\.\d+\.\d+/);
  });
});

describe('gitlab-ci-local: a producer project that includes every template', () => {
  let producer: Project;
  const signAndVerify = ['docker-build', 'verify_image', 'verify_image_preset', 'build_and_sign_artifact', 'verify_artifact', 'build_and_attest_provenance', 'verify_provenance'];

  beforeAll(async () => {
    producer = await createProject(work, stack.oidcIssuer, PRODUCER, {
      // publish_npm cannot run here (npm signs with public-good Sigstore only): turned off the
      // way a consumer turns it off; the package is published beforehand, as npm would.
      '.gitlab-ci.yml': `${includeAll(ALL)}\npublish_npm:\n  rules:\n    - when: never\n`,
      Dockerfile: 'FROM scratch\nCOPY hello.txt /\n',
      'hello.txt': 'hello\n',
      'package.json': JSON.stringify({ name: '@my-group/my-project', version: '1.0.0' }),
    });
  });

  it('branch pipeline (main): builds, signs and verifies the image, the artifact and its provenance', async () => {
    const result = await pipeline(producer, { kind: 'branch', branch: 'main' }, ALL);
    expectJobs(result, signAndVerify);
    expect(docker.pushed.get(`${registry.host}/${PRODUCER}:latest`)).toBe(docker.pushed.get(`${registry.host}/${PRODUCER}:main`));
    // What verified is handed on by digest (a dotenv report), not by the tag that may move.
    const verified = `SIGIL_VERIFIED_IMAGE=${registry.host}/${PRODUCER}@${docker.pushed.get(`${registry.host}/${PRODUCER}:main`)}`;
    for (const job of ['verify_image', 'verify_image_preset']) {
      expect(result.jobs[job]!.log).toContain(verified);
      // The artifact gitlab-ci-local keeps for the job's dotenv report.
      const artifacts = join(producer.dir, '.gitlab-ci-local', 'artifacts', job);
      const reports = readdirSync(artifacts, { recursive: true }).map(String).filter((file) => file.endsWith('sigil-verified-image.env'));
      expect(reports, job).not.toEqual([]);
      for (const file of reports) expect(readFileSync(join(artifacts, file), 'utf8')).toBe(`${verified}\n`);
    }
    expect(result.jobs['build_and_sign_artifact']!.log).toContain('sigil.cjs: OK');
    expect(result.jobs['verify_artifact']!.log).toContain('Verified OK');
    // node:22-alpine and docker:cli run job scripts under busybox sh.
    expect(result.shells).toEqual(Object.fromEntries(signAndVerify.map((name) => [name, 'busybox'])));
  }, 300_000);

  it('tag pipeline (v1.0.0): the image of the tag, and verify_npm of the package the tag published', async () => {
    await publishFromTag('v1.0.0', '1.0.0');
    const result = await pipeline(producer, { kind: 'tag', tag: 'v1.0.0' }, ALL);
    expectJobs(result, [...signAndVerify, 'verify_npm']);
    expect(docker.pushed.has(`${registry.host}/${PRODUCER}:v1-0-0`)).toBe(true);
    expect(result.jobs['verify_npm']!.log).toContain('Verified provenance of @my-group/my-project@1.0.0');
    expect(result.shells['verify_npm']).toBe('bash'); // node:22 is Debian: bash
  }, 300_000);

  it('merge request pipeline (feature/login into main): the same jobs, against the source branch', async () => {
    // The branch changes the image: another digest, signed by this pipeline only.
    const result = await pipeline(producer, { kind: 'merge_request', source: 'feature/login', target: 'main' }, ALL, {}, { Dockerfile: 'FROM scratch\nCOPY hello.txt /\nLABEL branch=feature/login\n' });
    expectJobs(result, signAndVerify);
    expect(docker.pushed.get(`${registry.host}/${PRODUCER}:feature-login`)).not.toBe(docker.pushed.get(`${registry.host}/${PRODUCER}:main`));
  }, 300_000);

  describe('a consumer project that pins the producer', () => {
    let consumer: Project;
    const files = ['verify-image.gitlab-ci.yml', 'npm-provenance.gitlab-ci.yml'];

    beforeAll(async () => {
      // The README's overrides: the hidden job for both image jobs, job-level variables for one.
      consumer = await createProject(work, stack.oidcIssuer, CONSUMER, {
        '.gitlab-ci.yml': `${includeAll(files)}
publish_npm:
  rules:
    - when: never
.sigil-verify-image:
  variables:
    SIGIL_IMAGE: ${registry.host}/${PRODUCER}:main
    SIGIL_SIGNER_PROJECT: ${PRODUCER}
    SIGIL_SIGNER_REF: refs/heads/main
verify_npm:
  variables:
    NPM_PACKAGE: "@my-group/my-project@1.0.0"
    SIGIL_SIGNER_PROJECT: ${PRODUCER}
    SIGIL_SIGNER_REF: refs/tags/v1.0.0
`,
      });
    });

    it("passes in the consumer's branch pipeline for the producer's main (image) and tag (package)", async () => {
      const result = await pipeline(consumer, { kind: 'branch', branch: 'main' }, files);
      expectJobs(result, ['verify_image', 'verify_image_preset', 'verify_npm']);
    }, 300_000);

    // CI/CD variables win over the consumer's job-level ones (GitLab's precedence): each run
    // points one of them elsewhere. A failed test-stage job keeps verify_npm (.post) from running.
    async function expectRefused(settings: Record<string, string>, refused: string[], passed: string[]) {
      const result = await pipeline(consumer, { kind: 'branch', branch: 'main' }, files, settings);
      expect(result.code).not.toBe(0);
      for (const name of refused) {
        expect(result.jobs[name]?.passed, name).toBe(false);
        expect(printedCodes(result.jobs[name]!.log), name).toContain('POLICY_IDENTITY_MISMATCH');
      }
      for (const name of passed) expect(result.jobs[name]?.passed, name).toBe(true);
    }

    it('fails for an image signed on another ref (the merge request branch)', async () => {
      await expectRefused({ SIGIL_IMAGE: `${registry.host}/${PRODUCER}:feature-login` }, ['verify_image', 'verify_image_preset'], []);
    }, 300_000);

    it('fails for a package published from another tag', async () => {
      await publishFromTag('v1.0.1', '1.0.1');
      await expectRefused({ NPM_PACKAGE: '@my-group/my-project@1.0.1' }, ['verify_npm'], ['verify_image', 'verify_image_preset']);
    }, 300_000);

    it('fails when the pinned project is another one', async () => {
      await expectRefused({ SIGIL_SIGNER_PROJECT: 'my-group/other-project' }, ['verify_image', 'verify_image_preset'], []);
    }, 300_000);
  });
});
