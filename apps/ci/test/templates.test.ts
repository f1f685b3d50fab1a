import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHex } from '@sigil/encoding';
import { readProvenance } from '@sigil/provenance';
import { startOciRegistry, type OciRegistry } from '@sigil/registry';
import { createStack, type Stack } from '@sigil/stack';
import { gitlabEnv } from './support/job-env.js';
import { mintJobToken } from './support/job-token.js';
import { startDockerShim, type DockerShim } from './support/docker-shim.js';
import { loadTemplate, runJob, type GitlabJob, type JobRun, type Template } from './support/gitlab-runner.js';
import { packPackage, publishWithProvenance } from './support/npm-provenance.js';
import { startTestWeb, type TestWeb } from './support/test-web.js';

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
let web: TestWeb;
let oneFile: { sha256: string };
let dirs = 0;

beforeAll(async () => {
  await run(process.execPath, [join(repo, 'apps/cli/build.mjs'), '--if-stale']);
  mkdirSync(bin);
  writeFileSync(join(bin, 'sigil'), `#!/bin/sh\nexec "${process.execPath}" "${join(repo, 'apps/cli/dist/sigil.cjs')}" "$@"\n`);
  chmodSync(join(bin, 'sigil'), 0o755);
  stack = await createStack({ dir: join(work, 'stack') });
  registry = await startOciRegistry({ auth: { kind: 'bearer', username: REGISTRY_USER, password: REGISTRY_PASSWORD } });
  docker = await startDockerShim(bin, registry);
  // A release's sigil.cjs on a web server, and the same file as the npm package @sigil/cli@0.1.0
  // with a postinstall script that must not run.
  web = await startTestWeb();
  const sigilCjs = readFileSync(join(repo, 'apps/cli/dist/sigil.cjs'));
  oneFile = { sha256: createHash('sha256').update(sigilCjs).digest('hex') };
  web.put('/release/sigil.cjs', sigilCjs);
  const cli = { name: '@sigil/cli', version: '0.1.0', bin: { sigil: 'sigil.cjs' } };
  web.publish({ ...cli, tarball: await packPackage(work, { ...cli, scripts: { postinstall: 'touch "$INIT_CWD/postinstall-ran"' } }, { 'sigil.cjs': sigilCjs }) });
}, 120_000);

afterAll(async () => {
  await web?.close();
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
  for (const [name, { aud }] of Object.entries(job.id_tokens ?? {})) tokens[name] = await mintJobToken(stack, env, aud);
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

  it.each<[string, Pipeline]>([
    ['another project', { project: OTHER_PROJECT }],
    ['another ref', { ref: 'develop' }],
    ['a tag', { ref: 'v1.0.0', refType: 'tag' }],
  ])('verify_artifact fails for an artifact signed by %s', async (_, producer) => {
    const { verified } = await signThenVerify(producer);
    expect(verified.code).toBe(1);
    expect(printedCode(verified)).toBe('POLICY_IDENTITY_MISMATCH');
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

  /** What publish_npm leaves on the registry (support/npm-provenance.ts), published by `producer`. */
  async function publish(producer: Pipeline, version: string) {
    const job = template().jobs.publish_npm!;
    const env = predefined(job, producer, encodeHex(randomBytes(20)));
    const { SIGSTORE_ID_TOKEN } = await idTokens(job, env);
    return publishWithProvenance(work, stack, env, version, SIGSTORE_ID_TOKEN!);
  }

  // The consumer: a tag pipeline of my-group/my-project, verifying its own v1.0.0 (default signer).
  const verifyNpm = (pkg: { name: string; version: string }) =>
    gitlabJob(template(), 'verify_npm', { ref: 'v1.0.0', refType: 'tag', cwd: jobDir(), settings: { NPM_REGISTRY: web.url, NPM_PACKAGE: `${pkg.name}@${pkg.version}` } });

  it.each<[string, Pipeline]>([
    ['another project', { project: OTHER_PROJECT, ref: 'v1.0.0', refType: 'tag' }],
    ['another tag', { ref: 'v1.0.1', refType: 'tag' }],
    ['a branch', { ref: 'main' }],
  ])('verify_npm fails for a package published by %s', async (_, producer) => {
    const pkg = await publish(producer, `1.0.${++dirs}`);
    web.publish(pkg);
    const verified = await verifyNpm(pkg);
    expect(verified.code).toBe(1);
    expect(printedCode(verified)).toBe('POLICY_IDENTITY_MISMATCH');
  }, 60_000);

  it('verify_npm fails for a tarball other than the one the provenance is about', async () => {
    const pkg = await publish({ ref: 'v1.0.0', refType: 'tag' }, `1.0.${++dirs}`);
    web.publish({ ...pkg, tarball: Buffer.concat([pkg.tarball, Buffer.from([0])]) });
    const verified = await verifyNpm(pkg);
    expect(verified.code).toBe(1);
    expect(verified.stderr).toMatch(/Error: (NPM|VERIFY)_[A-Z_]+:/);
  }, 60_000);
});

describe('how a job gets sigil (the .sigil hidden job of every template)', () => {
  const files = readdirSync(templates).filter((name) => name.endsWith('.gitlab-ci.yml'));
  const hidden = (file: string) => loadTemplate(join(templates, file)).raw['.sigil'] as { before_script: string[]; variables: Record<string, string>; rules: unknown[] };
  // PATH without sigil: node and npm, the system's tools.
  const noSigil = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');

  /** The install step alone, as a job of my-group/my-project runs it. */
  async function install(settings: Record<string, string>, then = 'sigil --version', tmp = (cwd: string) => cwd) {
    const sigil = loadTemplate(join(templates, 'sign-artifact.gitlab-ci.yml'));
    const job = { ...sigil.jobs.verify_artifact!, script: [then] };
    const cwd = jobDir();
    const env = { ...predefined(job, {}, encodeHex(randomBytes(20))), PATH: noSigil, HOME: cwd, TMPDIR: tmp(cwd), npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
    return { cwd, run: await runJob(sigil, job, { cwd, env, settings }) };
  }

  it('is the same in all five templates: variables, install step, and rules for branch, tag and merge request pipelines', () => {
    const [first, ...rest] = files.map(hidden);
    for (const other of rest) expect(other).toEqual(first);
    expect(first!.variables).toEqual({ SIGIL_CLI_URL: '', SIGIL_CLI_SHA256: '', SIGIL_NPM_PACKAGE: '' });
    expect(first!.rules).toEqual([{ if: '$CI_COMMIT_BRANCH || $CI_COMMIT_TAG || $CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(first!.before_script.join('\n')).not.toMatch(/npm install(?![^\n]*--ignore-scripts)/);
  });

  it('downloads sigil.cjs and runs it only when its SHA-256 is the pinned one', async () => {
    const good = await install({ SIGIL_CLI_URL: `${web.url}/release/sigil.cjs`, SIGIL_CLI_SHA256: oneFile.sha256 });
    expectSuccess(good.run);
    expect(good.run.stdout).toMatch(/sigil\.cjs: OK \(SHA-256 [0-9a-f]{64}\)\nsigil \d+\.\d+\.\d+/);
    const bad = await install({ SIGIL_CLI_URL: `${web.url}/release/sigil.cjs`, SIGIL_CLI_SHA256: createHash('sha256').update('another file').digest('hex') });
    expect(bad.run.code).not.toBe(0);
    expect(`${bad.run.stdout}${bad.run.stderr}`).toMatch(/FAILED/);
    expect(bad.run.stdout).not.toMatch(/sigil \d/);
  }, 60_000);

  it('checks the whole SIGIL_CLI_SHA256: a value of several lines (which sha256sum -c read line by line, skipping malformed ones) is refused', async () => {
    const decoy = join(work, 'decoy.txt');
    writeFileSync(decoy, 'any file the job can read\n');
    const decoySum = createHash('sha256').update(readFileSync(decoy)).digest('hex');
    // Line 1 checks another file (it passes), line 2 satisfied a per-line pattern, line 3 is malformed.
    for (const pin of [`${decoySum}  ${decoy}\n${'0'.repeat(64)}\nzz`, `${oneFile.sha256}\n`, `${oneFile.sha256.toUpperCase()}`, `${oneFile.sha256}0`]) {
      const before = web.requests.length;
      const { run } = await install({ SIGIL_CLI_URL: `${web.url}/release/sigil.cjs`, SIGIL_CLI_SHA256: pin });
      expect(run.code, JSON.stringify(pin)).toBe(1);
      expect(run.stderr).toContain('set SIGIL_CLI_URL to a release');
      expect(run.stdout).not.toMatch(/sigil \d/);
      expect(web.requests.slice(before)).toEqual([]);
    }
  }, 60_000);

  it('installs into a fresh directory from mktemp, and no path is written into the wrapper: a TMPDIR holding $(...) runs nothing', async () => {
    const { cwd, run } = await install({ SIGIL_CLI_URL: `${web.url}/release/sigil.cjs`, SIGIL_CLI_SHA256: oneFile.sha256 }, 'sigil --version; command -v sigil', (dir) => {
      const tmp = join(dir, '$(touch pwned)');
      mkdirSync(tmp);
      return tmp;
    });
    expectSuccess(run);
    expect(run.stdout).toMatch(/^sigil \d+\.\d+\.\d+/m);
    expect(run.stdout).toContain(`${cwd}/$(touch pwned)/tmp.`);
    expect(existsSync(join(cwd, 'pwned'))).toBe(false);
  }, 60_000);

  it('refuses to guess: no pin and no sigil in the image fails, naming the variables', async () => {
    for (const settings of <Record<string, string>[]>[{}, { SIGIL_CLI_URL: `${web.url}/release/sigil.cjs` }, { SIGIL_CLI_URL: `${web.url}/release/sigil.cjs`, SIGIL_CLI_SHA256: 'sha256:0' }]) {
      const before = web.requests.length;
      const { run } = await install(settings);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('set SIGIL_CLI_URL to a release');
      expect(web.requests.slice(before)).toEqual([]);
    }
  }, 60_000);

  it('installs from npm only when opted in, at an exact version, without running install scripts', async () => {
    const ranged = await install({ SIGIL_NPM_PACKAGE: '@sigil/cli@^0.1.0' });
    expect(ranged.run.code).toBe(1);
    expect(ranged.run.stderr).toContain('an exact version such as 1.2.3');
    const opted = await install({ SIGIL_NPM_PACKAGE: '@sigil/cli@0.1.0', npm_config_registry: web.url }, 'sigil --version; ls "$HOME"');
    expectSuccess(opted.run);
    expect(opted.run.stdout).toMatch(/^sigil \d+\.\d+\.\d+/m);
    expect(opted.run.stdout).not.toContain('postinstall-ran');
  }, 120_000);
});
