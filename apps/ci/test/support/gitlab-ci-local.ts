// Runs a throwaway project's pipeline with gitlab-ci-local (an independent interpreter of
// .gitlab-ci.yml: includes, extends, rules, needs, artifacts, variable precedence, GitLab's
// schema), shell executor with --shell-isolation (each job in its own copy of the tracked
// files, artifacts handed on with rsync). What gitlab-ci-local does not do, this adds:
//   - a pipeline's kind: branch pipelines come from the checked-out branch; tag and merge
//     request pipelines from the predefined variables GitLab sets for them (--variable);
//   - the instance: CI_SERVER_URL is the local stack's issuer, CI_CONFIG_PATH is set (GitLab
//     always sets it), GITLAB_CI is true;
//   - id_tokens: gitlab-ci-local mints none, so the stack's token for the pipeline is handed
//     to the jobs that declare id_tokens, and to no other;
//   - the image's shell: jobs whose image is Alpine-based run under busybox sh with busybox's
//     applets first on PATH, as in those images; the others under bash.
// The last two happen in a `bash` first on gitlab-ci-local's PATH: it starts each job script
// (gitlab-ci-local runs `bash` and writes the script's path to its stdin) and passes every other
// call to the real bash.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { GitlabJob } from './gitlab-runner.js';

const run = promisify(execFile);
const gitlabCiLocal = join(dirname(createRequire(import.meta.url).resolve('gitlab-ci-local/package.json')), 'dist/index.js');
// What the job scripts call from an Alpine image's busybox.
const APPLETS = ['sh', 'ash', 'cat', 'chmod', 'cp', 'cut', 'echo', 'env', 'grep', 'head', 'ls', 'mkdir', 'mv', 'printf', 'rm', 'sed', 'sha256sum', 'tail', 'test', '[', 'tr', 'wget', 'wc'];

export interface RunnerShell {
  /** Directories for the front of gitlab-ci-local's PATH. */
  path: string[];
  /** gitlab-ci-local's --container-executable: see serviceEngine below. */
  containerEngine: string;
}

export function installRunnerShell(dir: string): RunnerShell {
  const shellDir = join(dir, 'runner-shell');
  const appletDir = join(dir, 'busybox-applets');
  mkdirSync(shellDir, { recursive: true });
  mkdirSync(appletDir, { recursive: true });
  const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((path) => existsSync(path));
  const bash = ['/usr/bin/bash', '/bin/bash'].find((path) => existsSync(path));
  if (!busybox || !bash) throw new Error('the gitlab-ci-local tests need bash and busybox (apt-get install busybox; scripts/install-system-packages.sh)');
  for (const applet of APPLETS) symlinkSync(busybox, join(appletDir, applet));
  writeFileSync(
    join(shellDir, 'bash'),
    `#!/bin/sh
# bash for gitlab-ci-local (see apps/ci/test/support/gitlab-ci-local.ts): starts job scripts
# with the job's ID token and its image's shell, passes everything else to ${bash}.
if [ "$#" = 2 ] && [ "$1" = -c ] && [ "$2" = bash ]; then
  IFS= read -r script
  job="\${script##*/}"
  job="\${job%_*}"
  if [ -f "$SIGIL_GCL_JOBS/$job.token" ]; then
    SIGSTORE_ID_TOKEN="$(cat "$SIGIL_GCL_JOBS/$job.token")"
    export SIGSTORE_ID_TOKEN
  fi
  if [ -f "$SIGIL_GCL_JOBS/$job.busybox" ]; then
    echo "$job busybox" >> "$SIGIL_GCL_JOBS/shells.log"
    PATH="${appletDir}:$PATH" exec ${busybox} sh "$script"
  fi
  echo "$job bash" >> "$SIGIL_GCL_JOBS/shells.log"
  exec ${bash} "$script"
fi
exec ${bash} "$@"
`,
  );
  chmodSync(join(shellDir, 'bash'), 0o755);
  const containerEngine = join(shellDir, 'service-engine');
  writeFileSync(containerEngine, serviceEngine(join(dir, 'services.log')));
  chmodSync(containerEngine, 0o755);
  return { path: [shellDir], containerEngine };
}

/**
 * gitlab-ci-local starts a job's `services` in containers even under the shell executor
 * (docker-build has docker:dind). There is no container engine here, and the jobs' `docker`
 * stand-in needs no daemon, so this answers gitlab-ci-local's engine calls for services only
 * (network create/connect/rm, image inspect without exposed ports so no health check, pull,
 * create, start, logs, rm), starts nothing, and logs each call; anything else fails.
 */
function serviceEngine(log: string): string {
  return `#!/bin/sh
echo "$*" >> '${log}'
case "$1 $2" in
  'network create'|'network connect'|'network rm') echo "sigil-no-network" ;;
  'image inspect') echo '[{"Config":{}}]' ;;
  'pull '*|'start '*|'logs '*|'rm '*) ;;
  'create '*) echo "sigil-no-container" ;;
  *) echo "service engine stand-in: $1 $2 is not for services" >&2; exit 1 ;;
esac
`;
}

export interface Project {
  dir: string;
  /** group/project */
  path: string;
}

/** A git repository with these files committed on main, its origin on the instance. */
export async function createProject(root: string, server: string, path: string, files: Record<string, string>): Promise<Project> {
  const dir = join(root, path.replaceAll('/', '__'));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  // Untracked: the project's CI/CD variables stay out of the jobs' copies (--shell-isolation).
  writeFileSync(join(dir, '.gitignore'), '.gitlab-ci-local/\n.gitlab-ci-local-variables.yml\n');
  const git = (...args: string[]) => run('git', ['-c', 'user.name=Sigil Test', '-c', 'user.email=test@example.invalid', ...args], { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'initial');
  await git('remote', 'add', 'origin', `${server.replace(/\/oidc$/, '')}/${path}.git`);
  return { dir, path };
}

export type PipelineKind = { kind: 'branch'; branch: string } | { kind: 'tag'; tag: string } | { kind: 'merge_request'; source: string; target: string };

export interface PipelineOptions {
  pipeline: PipelineKind;
  /** The instance URL (the stack's issuer). */
  server: string;
  /** The project's CI/CD variables (Settings > CI/CD > Variables). */
  settings: Record<string, string>;
  /** Other predefined variables of the instance (registry, runner). */
  predefined: Record<string, string>;
  /** The jobs of the configuration (extends resolved): which declare id_tokens, which image. */
  jobs: Record<string, GitlabJob>;
  /** Mints the token for jobs that declare id_tokens, from the pipeline's variables. */
  mint(env: Record<string, string>, aud: string | string[]): Promise<string>;
  /** PATH for the jobs (gitlab-ci-local's own, with the runner shell first). */
  path: string;
  containerEngine: string;
  env?: Record<string, string>;
  /** Check the configuration against GitLab's JSON schema (about 2 s): once per configuration is enough. */
  validateSchema?: boolean;
  /** Files changed by a commit on the pipeline's branch (not main). */
  changes?: Record<string, string>;
}

export interface JobResult {
  name: string;
  passed: boolean;
  log: string;
}

export interface PipelineResult {
  code: number;
  output: string;
  /** The jobs that ran, by name. */
  jobs: Record<string, JobResult>;
  /** The shell each job's script ran under. */
  shells: Record<string, 'busybox' | 'bash'>;
  seconds: number;
}

const ALPINE_IMAGE = /(^|\/)(alpine|docker)(:|$)|-alpine|:cli$/;

export async function runPipeline(project: Project, options: PipelineOptions): Promise<PipelineResult> {
  const started = Date.now();
  const { pipeline } = options;
  const git = (...args: string[]) => run('git', args, { cwd: project.dir });
  const branch = pipeline.kind === 'branch' ? pipeline.branch : pipeline.kind === 'merge_request' ? pipeline.source : 'main';
  // Every branch starts from main, with this pipeline's own changes committed on it.
  await git('checkout', '-q', 'main');
  if (branch !== 'main') await git('checkout', '-q', '-B', branch);
  for (const [name, content] of Object.entries(options.changes ?? {})) writeFileSync(join(project.dir, name), content);
  if (options.changes) await run('git', ['-c', 'user.name=Sigil Test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-am', `changes on ${branch}`], { cwd: project.dir });
  const sha = (await git('rev-parse', 'HEAD')).stdout.trim();

  const variables: Record<string, string> = {
    GITLAB_CI: 'true',
    CI_SERVER_URL: options.server,
    CI_CONFIG_PATH: '.gitlab-ci.yml',
    CI_PIPELINE_SOURCE: pipeline.kind === 'merge_request' ? 'merge_request_event' : 'push',
    ...options.predefined,
  };
  const unset: string[] = [];
  if (pipeline.kind === 'tag') {
    Object.assign(variables, { CI_COMMIT_TAG: pipeline.tag, CI_COMMIT_REF_NAME: pipeline.tag, CI_COMMIT_REF_SLUG: slug(pipeline.tag) });
    unset.push('CI_COMMIT_BRANCH');
  }
  if (pipeline.kind === 'merge_request') {
    Object.assign(variables, {
      CI_MERGE_REQUEST_IID: '1',
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: pipeline.source,
      CI_MERGE_REQUEST_TARGET_BRANCH_NAME: pipeline.target,
      CI_MERGE_REQUEST_PROJECT_PATH: project.path,
      CI_MERGE_REQUEST_SOURCE_PROJECT_PATH: project.path,
      CI_MERGE_REQUEST_REF_PATH: 'refs/merge-requests/1/head',
    });
    unset.push('CI_COMMIT_BRANCH');
  }

  // The hand-off to the runner shell: a token file per job with id_tokens, a marker per Alpine job.
  const jobsDir = join(project.dir, '.gitlab-ci-local', 'sigil-jobs');
  rmSync(jobsDir, { recursive: true, force: true });
  mkdirSync(jobsDir, { recursive: true });
  const tokenEnv = {
    CI_PROJECT_PATH: project.path,
    CI_PROJECT_ID: '1217',
    CI_PIPELINE_ID: '1001',
    CI_COMMIT_SHA: sha,
    CI_COMMIT_REF_NAME: branch,
    ...(pipeline.kind === 'branch' ? { CI_COMMIT_BRANCH: branch } : {}),
    ...variables,
  };
  for (const job of Object.values(options.jobs)) {
    for (const [name, { aud }] of Object.entries(job.id_tokens ?? {})) {
      if (name !== 'SIGSTORE_ID_TOKEN') throw new Error(`${job.name}: the runner shell hands over SIGSTORE_ID_TOKEN only, found ${name}`);
      writeFileSync(join(jobsDir, `${job.name}.token`), await options.mint(tokenEnv, aud), { mode: 0o600 });
    }
    if (ALPINE_IMAGE.test(typeof job.image === 'string' ? job.image : '')) writeFileSync(join(jobsDir, `${job.name}.busybox`), '');
  }

  rmSync(join(project.dir, '.gitlab-ci-local', 'output'), { recursive: true, force: true });
  writeFileSync(join(project.dir, '.gitlab-ci-local-variables.yml'), Object.entries(options.settings).map(([key, value]) => `${key}: ${JSON.stringify(value)}\n`).join(''));
  const args = [
    gitlabCiLocal,
    '--cwd', '.',
    '--home', join(project.dir, '.gitlab-ci-local', 'home'),
    '--shell-isolation',
    '--force-shell-executor',
    '--no-color',
    '--container-executable', options.containerEngine,
    ...(options.validateSchema === false ? ['--no-json-schema-validation'] : []),
    '--ignore-predefined-vars', [...Object.keys(variables), ...unset].join(','),
    ...Object.entries(variables).flatMap(([key, value]) => ['--variable', `${key}=${value}`]),
    ...unset.flatMap((key) => ['--unset-variable', key]),
  ];
  const env = { ...cleanEnv(), PATH: options.path, SIGIL_GCL_JOBS: jobsDir, HOME: join(project.dir, '.gitlab-ci-local', 'home'), ...options.env };
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, args, { cwd: project.dir, env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0, stdout, stderr });
    });
  });
  const output = `${stdout}\n${stderr}`;
  const jobs: Record<string, JobResult> = {};
  const outputDir = join(project.dir, '.gitlab-ci-local', 'output');
  for (const name of Object.keys(options.jobs)) {
    const logFile = join(outputDir, `${name}.log`);
    if (!existsSync(logFile)) continue;
    jobs[name] = { name, passed: summaryStatus(output, name) === 'PASS', log: readFileSync(logFile, 'utf8') };
  }
  const shellsLog = join(jobsDir, 'shells.log');
  const shells = Object.fromEntries((existsSync(shellsLog) ? readFileSync(shellsLog, 'utf8') : '').trim().split('\n').filter(Boolean).map((line) => line.split(' ') as [string, 'busybox' | 'bash']));
  return { code, output, jobs, shells, seconds: (Date.now() - started) / 1000 };
}

/** gitlab-ci-local's closing summary: " PASS  job" / " FAIL  job" (or "WARN" for allowed failures). */
function summaryStatus(output: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*(PASS|FAIL|WARN)\\s+${escaped}\\s*$`, 'm').exec(output)?.[1];
}

function slug(ref: string): string {
  return ref.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 63);
}

/** The machine's environment without anything that would leak into the jobs: proxies, CI, npm's. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /proxy|^npm_|^CI$|^CI_|^GITLAB|^SIGIL|^SIGSTORE|^COSIGN|^VITEST|^NODE_OPTIONS$/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}
