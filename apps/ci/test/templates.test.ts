import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHex, utf8Encode } from '@sigil/encoding';
import { npmPackageSubject, readProvenance } from '@sigil/provenance';
import { startOciRegistry, type OciRegistry } from '@sigil/registry';
import { signDsse } from '@sigil/sign';
import { createStack, type Stack } from '@sigil/stack';
import { loadTrustMaterialFile } from '@sigil/trust';
import { gitlabEnv } from './support/job-env.js';
import { startDockerShim, type DockerShim } from './support/docker-shim.js';
import { loadTemplate, runJob, type GitlabJob, type JobRun, type Template } from './support/gitlab-runner.js';

// Every template in apps/ci/templates, run as GitLab would run it: its jobs' script lines as
// written, in bash, with the predefined variables a job of the project has, an ID token the
// local Sigstore stack mints for the job's id_tokens (audience as declared, claims matching
// the variables), `sigil` on PATH (the built CLI), and for the image template a test registry
// and a `docker` shim. The stack plays a self-managed GitLab under a relative URL root: its
// issuer http://127.0.0.1:PORT/oidc is CI_SERVER_URL, and tokens say
// ci_config_ref_uri 127.0.0.1:PORT/oidc/<project>//<config>@<ref>, as GitLab writes it.
const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../../..');
const templates = join(here, '../templates');
const work = mkdtempSync(join(tmpdir(), 'sigil-ci-templates-'));
const bin = join(work, 'bin');
const REGISTRY_USER = 'gitlab-ci-token';
const REGISTRY_PASSWORD = randomBytes(12).toString('hex');
const PROJECT = 'my-group/my-project';
const OTHER_PROJECT = 'my-group/other-project';

let stack: Stack;
let registry: OciRegistry;
let docker: DockerShim;
let dirs = 0;

beforeAll(async () => {
  await run(process.execPath, [join(repo, 'apps/cli/build.mjs'), '--if-stale']);
  mkdirSync(bin);
  writeFileSync(join(bin, 'sigil'), `#!/bin/sh\nexec "${process.execPath}" "${join(repo, 'apps/cli/dist/sigil.mjs')}" "$@"\n`);
  chmodSync(join(bin, 'sigil'), 0o755);
  stack = await createStack({ dir: join(work, 'stack') });
  registry = await startOciRegistry({ auth: { kind: 'bearer', username: REGISTRY_USER, password: REGISTRY_PASSWORD } });
  docker = await startDockerShim(bin, registry);
}, 120_000);

afterAll(async () => {
  await docker?.close();
  await registry?.close();
  await stack?.close();
  rmSync(work, { recursive: true, force: true });
});

interface Pipeline {
  project?: string;
  ref?: string;
  refType?: 'branch' | 'tag';
}

/** A fresh directory for a job: GitLab clones the repository into one per job. */
function jobDir(files: Record<string, string> = {}): string {
  const dir = join(work, `job-${++dirs}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** The predefined variables of a job of `project` on this GitLab (the stack) and its registry. */
function predefined(job: GitlabJob, pipeline: Pipeline, commit: string): Record<string, string> {
  const project = pipeline.project ?? PROJECT;
  const env = gitlabEnv({ server: stack.oidcIssuer, project, ref: pipeline.ref ?? 'main', refType: pipeline.refType ?? 'branch', jobName: job.name });
  return {
    ...env,
    CI_JOB_STAGE: job.stage ?? 'test',
    CI_COMMIT_SHA: commit,
    CI_COMMIT_SHORT_SHA: commit.slice(0, 8),
    CI_REGISTRY: registry.host,
    CI_REGISTRY_IMAGE: `${registry.host}/${project}`,
    CI_REGISTRY_USER: REGISTRY_USER,
    CI_REGISTRY_PASSWORD: REGISTRY_PASSWORD,
  };
}

/** What the job's id_tokens declare, minted by the stack with claims that match its variables. */
async function idTokens(job: GitlabJob, env: Record<string, string>): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  const host = env.CI_SERVER_URL!.replace(/^https?:\/\//, '');
  const refPath = env.CI_COMMIT_TAG ? `refs/tags/${env.CI_COMMIT_TAG}` : `refs/heads/${env.CI_COMMIT_BRANCH}`;
  for (const [name, { aud }] of Object.entries(job.id_tokens ?? {})) {
    tokens[name] = await stack.mintToken({
      kind: 'gitlab',
      host,
      project: env.CI_PROJECT_PATH!,
      ref: env.CI_COMMIT_REF_NAME!,
      refType: env.CI_COMMIT_TAG ? 'tag' : 'branch',
      claims: {
        aud,
        ci_config_ref_uri: `${host}/${env.CI_PROJECT_PATH}//${env.CI_CONFIG_PATH}@${refPath}`,
        sha: env.CI_COMMIT_SHA,
        ci_config_sha: env.CI_COMMIT_SHA,
        project_id: env.CI_PROJECT_ID,
        job_id: env.CI_JOB_ID,
        pipeline_id: env.CI_PIPELINE_ID,
        pipeline_source: env.CI_PIPELINE_SOURCE,
        // Models a private Fulcio whose GitLab template `url` is this instance (how a
        // self-managed deployment sets it up), so that Source Repository URI names this
        // instance as CI_PROJECT_URL does; public Fulcio would write https://gitlab.com there.
        url: env.CI_SERVER_URL,
      },
    });
  }
  return tokens;
}

interface JobOptions extends Pipeline {
  cwd: string;
  commit?: string;
  /** Project CI/CD variables (settings), on top of the test's own. */
  settings?: Record<string, string>;
  skipBeforeScript?: boolean;
}

async function gitlabJob(template: Template, name: string, options: JobOptions): Promise<JobRun> {
  const job = template.jobs[name];
  if (!job) throw new Error(`${template.path} has no job ${name}`);
  const env = predefined(job, options, options.commit ?? encodeHex(randomBytes(20)));
  const tokens = await idTokens(job, env);
  return runJob(template, job, {
    cwd: options.cwd,
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: options.cwd, ...env, ...tokens },
    settings: {
      // The instance's Sigstore: what a self-managed GitLab sets once for every project.
      SIGIL_SIGNING_CONFIG: stack.signingConfig,
      SIGIL_TRUSTED_ROOT: stack.trustedRoot,
      // The test registry speaks plain http on loopback; cosign's variable for the flag.
      COSIGN_ALLOW_INSECURE_REGISTRY: 'true',
      ...options.settings,
    },
    ...(options.skipBeforeScript ? { skipBeforeScript: true } : {}),
  });
}

/** GitLab hands a job's artifacts:paths to the jobs of later stages. */
function passArtifacts(template: Template, from: string, fromDir: string, toDir: string): void {
  for (const path of template.jobs[from]!.artifacts?.paths ?? []) copyFileSync(join(fromDir, path), join(toDir, path));
}

const printedCode = (job: JobRun) => /Error: ([A-Z0-9_]+):/.exec(job.stderr)?.[1];
const expectSuccess = (job: JobRun) => expect(job.code, `${job.stderr}\n--- script ---\n${job.shell}`).toBe(0);

describe('every template', () => {
  const files = readdirSync(templates).filter((name) => name.endsWith('.gitlab-ci.yml'));

  it('is one of the five, and parses', () => {
    expect(files.sort()).toEqual(['Sigil.gitlab-ci.yml', 'attest-provenance.gitlab-ci.yml', 'npm-provenance.gitlab-ci.yml', 'sign-artifact.gitlab-ci.yml', 'verify-image.gitlab-ci.yml']);
    for (const file of files) expect(Object.keys(loadTemplate(join(templates, file)).jobs).length).toBeGreaterThan(0);
  });

  it.each(files)('%s: every job that signs declares SIGSTORE_ID_TOKEN with audience sigstore, in script (not after_script), and needs no prompt', (file) => {
    const template = loadTemplate(join(templates, file));
    for (const job of Object.values(template.jobs)) {
      const signs = job.script.some((line) => /\bsigil (sign|sign-blob|attest|attest-blob)\b|npm publish --provenance/.test(line));
      expect(job.after_script.join('\n')).not.toMatch(/sigil (sign|attest)/);
      if (!signs) {
        expect(job.id_tokens, `${file} ${job.name} signs nothing and needs no token`).toBeUndefined();
        continue;
      }
      expect(job.id_tokens, `${file} ${job.name}`).toEqual({ SIGSTORE_ID_TOKEN: { aud: 'sigstore' } });
      if (job.script.some((line) => /\bsigil (sign|sign-blob|attest|attest-blob)\b/.test(line))) expect(job.variables.SIGIL_YES ?? job.variables.COSIGN_YES).toBe('true');
    }
  });
});

describe('sign-artifact.gitlab-ci.yml', () => {
  const template = () => loadTemplate(join(templates, 'sign-artifact.gitlab-ci.yml'));

  async function signThenVerify(producer: Pipeline) {
    const signDir = jobDir();
    const signed = await gitlabJob(template(), 'build_and_sign_artifact', { ...producer, cwd: signDir });
    expectSuccess(signed);
    const verifyDir = jobDir();
    passArtifacts(template(), 'build_and_sign_artifact', signDir, verifyDir);
    // The consumer: a pipeline of my-group/my-project on its default branch.
    return { signed, verified: await gitlabJob(template(), 'verify_artifact', { cwd: verifyDir }) };
  }

  it('build_and_sign_artifact signs, verify_artifact passes', async () => {
    const { signed, verified } = await signThenVerify({});
    expect(signed.stderr).toContain('tlog entry created with index');
    expect(signed.stdout).toContain('OK: this job can sign keylessly as https://');
    expectSuccess(verified);
    expect(verified.stderr).toContain('Verified OK');
  }, 60_000);

  it.each<[string, Pipeline]>([
    ['another project', { project: OTHER_PROJECT }],
    ['another ref', { ref: 'develop' }],
    ['a tag', { ref: 'v1.0.0', refType: 'tag' }],
  ])('verify_artifact fails for an artifact signed by %s', async (_, producer) => {
    const { verified } = await signThenVerify(producer);
    expect(verified.code).toBe(1);
    expect(printedCode(verified)).toBe('POLICY_IDENTITY_MISMATCH');
  }, 60_000);

  it('a feature-branch pipeline verifies what it signed itself (the default ref is the pipeline\'s own)', async () => {
    const signDir = jobDir();
    const branch = { ref: 'feature/login' };
    expectSuccess(await gitlabJob(template(), 'build_and_sign_artifact', { cwd: signDir, ...branch }));
    const verifyDir = jobDir();
    passArtifacts(template(), 'build_and_sign_artifact', signDir, verifyDir);
    expectSuccess(await gitlabJob(template(), 'verify_artifact', { cwd: verifyDir, ...branch }));
  }, 60_000);

  it('verify_artifact fails for an artifact changed after signing', async () => {
    const signDir = jobDir();
    expectSuccess(await gitlabJob(template(), 'build_and_sign_artifact', { cwd: signDir }));
    writeFileSync(join(signDir, 'artifact.txt'), 'This is another artifact\n');
    const verifyDir = jobDir();
    passArtifacts(template(), 'build_and_sign_artifact', signDir, verifyDir);
    const verified = await gitlabJob(template(), 'verify_artifact', { cwd: verifyDir });
    expect(verified.code).toBe(1);
    expect(printedCode(verified)).toMatch(/^VERIFY_/);
  }, 60_000);

  it('a consumer in another project verifies by naming the signer in SIGIL_SIGNER_PROJECT', async () => {
    const signDir = jobDir();
    expectSuccess(await gitlabJob(template(), 'build_and_sign_artifact', { cwd: signDir }));
    const verifyDir = jobDir();
    passArtifacts(template(), 'build_and_sign_artifact', signDir, verifyDir);
    const consumer = { project: 'consumer/app', cwd: verifyDir };
    expect((await gitlabJob(template(), 'verify_artifact', consumer)).code).toBe(1);
    expectSuccess(await gitlabJob(template(), 'verify_artifact', { ...consumer, settings: { SIGIL_SIGNER_PROJECT: PROJECT } }));
  }, 60_000);
});

describe('attest-provenance.gitlab-ci.yml', () => {
  const template = () => loadTemplate(join(templates, 'attest-provenance.gitlab-ci.yml'));

  async function attestThenVerify(producer: Pipeline, commit?: string) {
    const dir = jobDir();
    const attested = await gitlabJob(template(), 'build_and_attest_provenance', { ...producer, cwd: dir, ...(commit ? { commit } : {}) });
    expectSuccess(attested);
    const verifyDir = jobDir();
    passArtifacts(template(), 'build_and_attest_provenance', dir, verifyDir);
    return { dir, verified: await gitlabJob(template(), 'verify_provenance', { cwd: verifyDir }) };
  }

  it('writes GitLab SLSA v1 provenance of the artifact, attests it, and verify_provenance passes', async () => {
    const commit = encodeHex(randomBytes(20));
    const { dir, verified } = await attestThenVerify({}, commit);
    expectSuccess(verified);
    const predicate = JSON.parse(readFileSync(join(dir, 'artifact.txt.provenance.json'), 'utf8'));
    const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'artifact.txt', digest: { sha256: '00' } }], predicateType: 'https://slsa.dev/provenance/v1', predicate };
    expect(readProvenance(statement)).toMatchObject({
      sourceRepository: `${stack.oidcIssuer}/${PROJECT}`,
      sourceRef: 'refs/heads/main',
      sourceCommit: commit,
      configPath: '.gitlab-ci.yml',
    });
  }, 60_000);

  it.each<[string, Pipeline]>([
    ['another project', { project: OTHER_PROJECT }],
    ['another ref', { ref: 'develop' }],
  ])('verify_provenance fails for provenance attested by %s', async (_, producer) => {
    const { verified } = await attestThenVerify(producer);
    expect(verified.code).toBe(1);
    expect(printedCode(verified)).toBe('POLICY_IDENTITY_MISMATCH');
  }, 60_000);
});

describe('Sigil.gitlab-ci.yml and verify-image.gitlab-ci.yml', () => {
  const build = () => loadTemplate(join(templates, 'Sigil.gitlab-ci.yml'));
  const verify = () => loadTemplate(join(templates, 'verify-image.gitlab-ci.yml'));
  const image = (project: string, tag: string) => `${registry.host}/${project}:${tag}`;

  async function buildAndSign(producer: Pipeline) {
    const dir = jobDir({ Dockerfile: `FROM scratch\nCOPY hello.txt /\n# ${producer.project ?? PROJECT} ${producer.ref ?? 'main'}\n` });
    const job = await gitlabJob(build(), 'docker-build', { ...producer, cwd: dir });
    expectSuccess(job);
    return job;
  }

  it('docker-build pushes the image, signs its digest, and tags latest on the default branch', async () => {
    const job = await buildAndSign({});
    const digest = docker.pushed.get(image(PROJECT, 'main'));
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(docker.pushed.get(image(PROJECT, 'latest'))).toBe(digest);
    expect(job.stderr).toContain(digest!.slice(7, 19));
    expect(job.stdout).toContain(`sigil verify ${registry.host}/${PROJECT}@${digest} --certificate-identity https://`);
  }, 60_000);

  it('verify_image passes for the image this project signed', async () => {
    await buildAndSign({});
    expectSuccess(await gitlabJob(verify(), 'verify_image', { cwd: jobDir() }));
  }, 60_000);

  it('verify_image_preset passes for it too', async () => {
    await buildAndSign({});
    expectSuccess(await gitlabJob(verify(), 'verify_image_preset', { cwd: jobDir() }));
  }, 60_000);

  it.each<[string, Pipeline]>([
    ['another project', { project: OTHER_PROJECT }],
    ['another ref', { ref: 'develop' }],
  ])('verify_image fails for an image signed by %s', async (_, producer) => {
    await buildAndSign(producer);
    const reference = image(producer.project ?? PROJECT, producer.ref ?? 'main');
    const verified = await gitlabJob(verify(), 'verify_image', { cwd: jobDir(), settings: { SIGIL_IMAGE: reference } });
    // Every signature found failed, each for the reason listed under the image's error.
    expect(verified.code).toBe(1);
    expect(printedCode(verified)).toBe('IMAGE_NO_VALID_SIGNATURE');
    expect(verified.stderr).toContain(': POLICY_IDENTITY_MISMATCH:');
    const preset = await gitlabJob(verify(), 'verify_image_preset', { cwd: jobDir(), settings: { SIGIL_IMAGE: reference } });
    expect(preset.code).toBe(1);
    expect(preset.stderr).toContain(': POLICY_IDENTITY_MISMATCH:');
  }, 60_000);

  it('verify_image fails for an image that was never signed', async () => {
    const dir = jobDir({ Dockerfile: 'FROM scratch\n# unsigned\n' });
    const pushOnly = await runJob(build(), { ...build().jobs['docker-build']!, before_script: [], script: build().jobs['docker-build']!.script.filter((line) => line.startsWith('echo') || line.startsWith('docker ')) }, {
      cwd: dir,
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, ...predefined(build().jobs['docker-build']!, { ref: 'unsigned' }, encodeHex(randomBytes(20))) },
    });
    expectSuccess(pushOnly);
    const verified = await gitlabJob(verify(), 'verify_image', { cwd: jobDir(), settings: { SIGIL_IMAGE: image(PROJECT, 'unsigned') } });
    // cosign's exit code for an image without signatures (cmd/cosign/errors/exit_codes.go).
    expect(verified.code).toBe(10);
    expect(printedCode(verified)).toBe('IMAGE_NO_SIGNATURES');
  }, 60_000);
});

describe('npm-provenance.gitlab-ci.yml', () => {
  const template = () => loadTemplate(join(templates, 'npm-provenance.gitlab-ci.yml'));

  it("publish_npm is the seed's job: an ID token for sigstore and npm publish --provenance, for tags", () => {
    const publish = template().jobs.publish_npm!;
    expect(publish.id_tokens).toEqual({ SIGSTORE_ID_TOKEN: { aud: 'sigstore' } });
    expect(publish.script).toContain('npm publish --provenance --access public');
    expect(publish.rules).toEqual([{ if: '$CI_COMMIT_TAG' }]);
  });

  /**
   * What `npm publish --provenance` does in publish_npm, which cannot reach a registry here:
   * pack the package and sign npm's GitLab provenance (SLSA v0.2, PROTOCOLS 7.1) with the
   * job's ID token against the stack; then lay out the tarball and the registry's
   * attestations document where verify_npm's before_script (npm pack, curl) would put them.
   */
  async function publish(producer: Pipeline, consumerDir: string): Promise<void> {
    const commit = encodeHex(randomBytes(20));
    const job = template().jobs.publish_npm!;
    const env = predefined(job, producer, commit);
    const pkg = jobDir();
    const name = `@${env.CI_PROJECT_NAMESPACE}/${env.CI_PROJECT_NAME}`;
    const version = producer.refType === 'tag' ? producer.ref!.replace(/^v/, '') : '1.0.0';
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name, version, repository: { type: 'git', url: `git+${env.CI_PROJECT_URL}.git` } }));
    writeFileSync(join(pkg, 'index.js'), 'export const answer = 42;\n');
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', consumerDir], { cwd: pkg, env: { ...process.env, npm_config_cache: join(work, 'npm-cache'), npm_config_offline: 'true' } });
    renameSync(join(consumerDir, stdout.trim().split('\n').at(-1)!), join(consumerDir, 'package.tgz'));
    const tarball = readFileSync(join(consumerDir, 'package.tgz'));
    const parameters = Object.fromEntries(
      ['CI_COMMIT_BRANCH', 'CI_COMMIT_REF_NAME', 'CI_COMMIT_SHA', 'CI_COMMIT_TAG', 'CI_CONFIG_PATH', 'CI_JOB_ID', 'CI_JOB_NAME', 'CI_PIPELINE_ID', 'CI_PIPELINE_SOURCE', 'CI_PROJECT_PATH', 'CI_PROJECT_URL', 'CI_SERVER_URL', 'GITLAB_CI']
        .filter((key) => env[key] !== undefined)
        .map((key) => [key, env[key]]),
    );
    const statement = {
      _type: 'https://in-toto.io/Statement/v0.1',
      subject: [{ name: npmPackageSubject(name, version), digest: { sha512: createHash('sha512').update(tarball).digest('hex') } }],
      predicateType: 'https://slsa.dev/provenance/v0.2',
      predicate: {
        buildType: 'https://github.com/npm/cli/gitlab/v0alpha1',
        builder: { id: `${env.CI_PROJECT_URL}/-/runners/${env.CI_RUNNER_ID}` },
        invocation: {
          configSource: { uri: `git+${env.CI_PROJECT_URL}`, digest: { sha1: commit }, entryPoint: env.CI_JOB_NAME },
          parameters,
          environment: { name: env.CI_RUNNER_DESCRIPTION, server: env.CI_SERVER_URL, project: env.CI_PROJECT_PATH, job: { id: env.CI_JOB_ID }, pipeline: { id: env.CI_PIPELINE_ID, ref: env.CI_CONFIG_PATH } },
        },
        metadata: { buildInvocationId: env.CI_JOB_URL, completeness: { parameters: true, environment: true, materials: false }, reproducible: false },
        materials: [{ uri: `git+${env.CI_PROJECT_URL}`, digest: { sha1: commit } }],
      },
    };
    const { SIGSTORE_ID_TOKEN } = await idTokens(job, env);
    const signed = await signDsse(utf8Encode(JSON.stringify(statement)), {
      identityToken: SIGSTORE_ID_TOKEN!,
      fulcioURL: stack.fulcioURL,
      rekorURL: stack.rekorURL,
      trust: loadTrustMaterialFile(stack.trustedRoot),
    });
    writeFileSync(join(consumerDir, 'attestations.json'), JSON.stringify({ attestations: [{ predicateType: statement.predicateType, bundle: signed.bundleJson }] }));
  }

  // verify_npm's before_script fetches from the npm registry (npm pack, curl), which this
  // machine cannot reach: publish() above leaves its two files in place and it is skipped.
  const consumer = { ref: 'v1.0.0', refType: 'tag' as const, skipBeforeScript: true };

  it('verify_npm passes for the tag pipeline that published the package', async () => {
    const dir = jobDir();
    await publish({ ref: 'v1.0.0', refType: 'tag' }, dir);
    const verified = await gitlabJob(template(), 'verify_npm', { ...consumer, cwd: dir });
    expectSuccess(verified);
    expect(verified.stderr).toContain(`Verified provenance of @my-group/my-project@1.0.0`);
  }, 60_000);

  it.each<[string, Pipeline]>([
    ['another project', { project: OTHER_PROJECT, ref: 'v1.0.0', refType: 'tag' }],
    ['another tag', { ref: 'v1.0.1', refType: 'tag' }],
    ['a branch', { ref: 'main' }],
  ])('verify_npm fails for a package published by %s', async (_, producer) => {
    const dir = jobDir();
    await publish(producer, dir);
    const verified = await gitlabJob(template(), 'verify_npm', { ...consumer, cwd: dir });
    expect(verified.code).toBe(1);
    expect(printedCode(verified)).toBe('POLICY_IDENTITY_MISMATCH');
  }, 60_000);

  it('verify_npm fails for a tarball other than the one the provenance is about', async () => {
    const dir = jobDir();
    await publish({ ref: 'v1.0.0', refType: 'tag' }, dir);
    const other = jobDir();
    await publish({ ref: 'v1.0.0', refType: 'tag' }, other);
    copyFileSync(join(dir, 'attestations.json'), join(other, 'attestations.json'));
    writeFileSync(join(other, 'package.tgz'), Buffer.concat([readFileSync(join(other, 'package.tgz')), Buffer.from([0])]));
    const verified = await gitlabJob(template(), 'verify_npm', { ...consumer, cwd: other });
    expect(verified.code).toBe(1);
  }, 60_000);
});
