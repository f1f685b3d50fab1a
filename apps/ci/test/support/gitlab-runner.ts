// A small stand-in for a GitLab runner: reads a template with the `yaml` parser, resolves
// `extends` as GitLab does (hashes merged deeply, everything else replaced), and runs a job's
// before_script and script lines, as written, in one bash session with `set -eo pipefail`,
// after exporting its variables the way GitLab expands them ($VAR and ${VAR} of variables
// defined earlier).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface GitlabJob {
  name: string;
  stage?: string;
  image?: string;
  variables: Record<string, string>;
  id_tokens?: Record<string, { aud: string | string[] }>;
  before_script: string[];
  script: string[];
  after_script: string[];
  artifacts?: { paths?: string[] };
  needs?: unknown[];
  rules?: unknown[];
  extends?: string | string[];
}

export interface Template {
  path: string;
  /** The parsed YAML, with GitLab's global keywords and hidden jobs. */
  raw: Record<string, unknown>;
  /** Visible jobs (not starting with a dot), extends resolved. */
  jobs: Record<string, GitlabJob>;
  globalVariables: Record<string, string>;
}

const GLOBAL_KEYWORDS = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script']);

export function loadTemplate(path: string): Template {
  const raw = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const jobs: Record<string, GitlabJob> = {};
  for (const name of Object.keys(raw)) {
    if (GLOBAL_KEYWORDS.has(name) || name.startsWith('.')) continue;
    const job = resolveExtends(raw, name, []);
    jobs[name] = {
      ...job,
      name,
      variables: stringRecord(job.variables),
      before_script: lines(job.before_script),
      script: lines(job.script),
      after_script: lines(job.after_script),
    } as GitlabJob;
  }
  return { path, raw, jobs, globalVariables: stringRecord(raw.variables) };
}

function resolveExtends(raw: Record<string, unknown>, name: string, seen: string[]): Record<string, unknown> {
  if (seen.includes(name)) throw new Error(`extends loop: ${[...seen, name].join(' -> ')}`);
  const job = raw[name] as Record<string, unknown> | undefined;
  if (!job || typeof job !== 'object') throw new Error(`extends: no job ${name}`);
  let merged: Record<string, unknown> = {};
  for (const parent of [job.extends ?? []].flat() as string[]) merged = deepMerge(merged, resolveExtends(raw, parent, [...seen, name]));
  const { extends: _, ...own } = job;
  return deepMerge(merged, own);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isHash(current) && isHash(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isHash(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lines(value: unknown): string[] {
  if (value === undefined) return [];
  return [value].flat(10).map(String);
}

function stringRecord(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isHash(value)) throw new Error(`variables: expected a mapping, found ${typeof value}`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isHash(v) ? String(v.value ?? '') : String(v)]));
}

export interface RunOptions {
  cwd: string;
  /** Predefined variables, the ID tokens and the runner's PATH/HOME. */
  env: Record<string, string>;
  /** Project CI/CD variables from the settings: they win over the YAML's (GitLab's precedence). */
  settings?: Record<string, string>;
  /** Leave before_script out (its lines need a network this machine does not have). */
  skipBeforeScript?: boolean;
}

export interface JobRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The bash script that ran, for failure messages. */
  shell: string;
}

export function runJob(template: Template, job: GitlabJob, options: RunOptions): Promise<JobRun> {
  const exports = [...Object.entries(template.globalVariables), ...Object.entries(job.variables)].map(([name, value]) => exportLine(name, value, true));
  const settings = Object.entries(options.settings ?? {}).map(([name, value]) => exportLine(name, value, false));
  const steps = [...(options.skipBeforeScript ? [] : job.before_script), ...job.script];
  const shell = ['set -eo pipefail', ...exports, ...settings, ...steps].join('\n');
  return new Promise((resolve) => {
    execFile('bash', ['-c', shell], { cwd: options.cwd, env: options.env, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr, shell });
    });
  });
}

/** `export NAME="value"`: with expansion, GitLab's $VAR references become the shell's; without, the value stays as it is. */
function exportLine(name: string, value: string, expand: boolean): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`variable name ${JSON.stringify(name)}`);
  if (!expand) return `export ${name}='${value.replaceAll("'", `'\\''`)}'`;
  return `export ${name}="${value.replace(/[\\"`]/g, '\\$&')}"`;
}
