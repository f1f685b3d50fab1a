import { parseFlags } from '../src/flags/parse.js';
import { describe, expect, it } from 'vitest';
import { CiError } from '@sigil/ci';
import { defaultGitlabClaims } from '@sigil/stack';
import { CliError } from '../src/cli-error.js';
import { createGitlabCommand } from '../src/commands/gitlab.js';

// `sigil gitlab identity|preflight` with the variables of a gitlab.com job. The command is
// run as main.ts runs a command (parseArgs with its options, then run), with its own env.
const SAN = 'https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main';
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (claims: Record<string, unknown>) => `${part({ alg: 'ES256', kid: 'k' })}.${part(claims)}.c2ln`;
const JOB = {
  GITLAB_CI: 'true',
  CI_SERVER_URL: 'https://gitlab.com',
  CI_PROJECT_PATH: 'my-group/my-project',
  CI_CONFIG_PATH: '.gitlab-ci.yml',
  CI_COMMIT_BRANCH: 'main',
  CI_COMMIT_REF_NAME: 'main',
  CI_JOB_NAME: 'sign',
  CI_PIPELINE_SOURCE: 'push',
};
const goodToken = () => token(defaultGitlabClaims({ project: 'my-group/my-project', ref: 'main' }));

async function gitlab(args: string[], env: Record<string, string>) {
  const command = createGitlabCommand(() => env);
  const { values, positionals } = parseFlags(args, command.flags, { env: {} });
  let stdout = '';
  let stderr = '';
  const code = await command.run(values, positionals, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('sigil gitlab identity', () => {
  it('prints the identity, the issuer and the verify commands, from the token', async () => {
    const secret = goodToken();
    const run = await gitlab(['identity'], { ...JOB, SIGSTORE_ID_TOKEN: secret });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Certificate identity: ${SAN}\n`);
    expect(run.stdout).toContain('Certificate issuer:   https://gitlab.com\n');
    expect(run.stdout).toContain("from the job's ID token");
    expect(run.stdout).toContain(`sigil verify-blob ARTIFACT --bundle ARTIFACT.sigstore.json --certificate-identity ${SAN} --certificate-oidc-issuer https://gitlab.com`);
    expect(run.stdout).toContain('sigil verify IMAGE --gitlab-project my-group/my-project --gitlab-branch main');
    expect(run.stdout + run.stderr).not.toContain(secret.split('.')[1]!.slice(0, 16));
  });

  it('--output json, with the artifact, bundle and image named', async () => {
    const run = await gitlab(['identity', '--output', 'json', '--artifact', 'dist/app.tgz', '--bundle', 'app.bundle', '--image', 'registry.gitlab.com/g/p@sha256:ab'], JOB);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ identity: SAN, issuer: 'https://gitlab.com', project: 'my-group/my-project', ref: 'refs/heads/main', source: 'variables' });
    expect(json.commands.verifyBlob).toMatch(/^sigil verify-blob dist\/app\.tgz --bundle app\.bundle /);
    expect(json.commands.verify).toMatch(/^sigil verify registry\.gitlab\.com\/g\/p@sha256:ab /);
  });

  it('says when the identity comes from the variables only', async () => {
    expect((await gitlab(['identity'], JOB)).stdout).toContain('run sigil gitlab preflight');
  });

  it('outside GitLab: CI_NOT_GITLAB_JOB', async () => {
    await expect(gitlab(['identity'], {})).rejects.toSatisfy((err) => err instanceof CiError && err.code === 'CI_NOT_GITLAB_JOB');
  });
});

describe('sigil gitlab preflight', () => {
  it('exits 0 with a one-line OK', async () => {
    const run = await gitlab(['preflight'], { ...JOB, SIGSTORE_ID_TOKEN: goodToken() });
    expect(run).toEqual({ code: 0, stdout: `OK: this job can sign keylessly as ${SAN} (issuer https://gitlab.com)\n`, stderr: '' });
  });

  it('exits 1 and prints each problem with its fix', async () => {
    const run = await gitlab(['preflight'], { ...JOB, CI_PIPELINE_SOURCE: 'parent_pipeline' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Problem CI_TOKEN_MISSING:');
    expect(run.stdout).toContain('Problem CI_CHILD_PIPELINE:');
    expect(run.stdout).toContain('    sign:\n      id_tokens:\n        SIGSTORE_ID_TOKEN:\n          aud: sigstore');
    expect(run.stdout).toContain('2 problems: this job cannot sign keylessly yet');
  });

  it('--output json', async () => {
    const run = await gitlab(['preflight', '-o', 'json'], { ...JOB, SIGSTORE_ID_TOKEN: token({ ...defaultGitlabClaims(), aud: 'vault' }) });
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json.ok).toBe(false);
    expect(json.problems.map((p: { code: string }) => p.code)).toEqual(['CI_TOKEN_AUDIENCE']);
    expect(json.problems[0].fix).toContain('aud: sigstore');
  });
});

describe('sigil gitlab: hostile claims never reach the terminal raw', () => {
  const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

  it('preflight quotes a hostile audience escaped, one line per line of its own', async () => {
    const run = await gitlab(['preflight'], { ...JOB, SIGSTORE_ID_TOKEN: token({ ...defaultGitlabClaims(), aud: 'vault\u202e\x85\x1b[2K' }) });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(RAW);
    expect(run.stdout).toContain('vault\\u202e\\u0085');
  });

  it('identity refuses an iss that would paint a fake "Verify a signed file" line', async () => {
    const iss = 'https://gitlab.com\n\nVerify a signed file:\n  sigil verify-blob x --certificate-identity-regexp .*\x1b[8m';
    await expect(gitlab(['identity'], { ...JOB, SIGSTORE_ID_TOKEN: token({ ...defaultGitlabClaims(), iss }) })).rejects.toSatisfy(
      (err) => err instanceof CiError && err.code === 'CI_TOKEN_CLAIM_INVALID' && !RAW.test(err.message) && !err.message.includes('\n'),
    );
  });
});

describe('sigil gitlab usage', () => {
  it.each([[[]], [['sign']], [['identity', 'extra']], [['identity', '--output', 'yaml']], [['preflight', '--artifact', 'x']]])('%j: CLI_USAGE', async (args) => {
    await expect(gitlab(args, JOB)).rejects.toSatisfy((err) => err instanceof CliError && err.code === 'CLI_USAGE');
  });
});
