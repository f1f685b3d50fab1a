// What `npm publish --provenance` produces in publish_npm, which cannot run here (npm signs
// with public-good Sigstore only, and there is no registry to publish to): the packed tarball
// and the registry's attestations document, npm's GitLab provenance (SLSA v0.2, PROTOCOLS 7.1)
// signed with the publishing job's ID token against the local stack.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { utf8Encode } from '@sigil/encoding';
import { npmPackageSubject } from '@sigil/provenance';
import { signDsse } from '@sigil/sign';
import type { Stack } from '@sigil/stack';
import { loadTrustMaterialFile } from '@sigil/trust';

const run = promisify(execFile);

export interface PublishedPackage {
  name: string;
  version: string;
  tarball: Buffer;
  attestations: { attestations: { predicateType: string; bundle: unknown }[] };
}

/** npm pack of a small package (offline), with extra package.json fields, e.g. bin or scripts. */
export async function packPackage(work: string, manifest: Record<string, unknown>, files: Record<string, string | Buffer>): Promise<Buffer> {
  const dir = mkdtempSync(join(work, 'pack-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: dir, env: { ...process.env, npm_config_cache: join(work, 'npm-cache'), npm_config_offline: 'true' } });
    return readFileSync(join(dir, stdout.trim().split('\n').at(-1)!));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The package `@<namespace>/<name>` of the project in `env` (a publishing job's predefined
 * variables), packed and signed with `token` as npm does it in that job.
 */
export async function publishWithProvenance(work: string, stack: Stack, env: Record<string, string>, version: string, token: string): Promise<PublishedPackage> {
  const name = `@${env.CI_PROJECT_NAMESPACE}/${env.CI_PROJECT_NAME}`;
  const tarball = await packPackage(work, { name, version, repository: { type: 'git', url: `git+${env.CI_PROJECT_URL}.git` } }, { 'index.js': 'export const answer = 42;\n' });
  const commit = env.CI_COMMIT_SHA!;
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
  const signed = await signDsse(utf8Encode(JSON.stringify(statement)), {
    identityToken: token,
    fulcioURL: stack.fulcioURL,
    rekorURL: stack.rekorURL,
    trust: loadTrustMaterialFile(stack.trustedRoot),
  });
  return { name, version, tarball, attestations: { attestations: [{ predicateType: statement.predicateType, bundle: signed.bundleJson }] } };
}
