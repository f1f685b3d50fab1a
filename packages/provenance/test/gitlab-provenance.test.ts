import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStatement } from '@sigil/bundle';
import {
  GITLAB_BUILD_TYPE,
  ProvenanceError,
  checkProvenance,
  gitlabProvenance,
  readProvenance,
  subjectsFromFiles,
} from '../src/index.js';
import { expectCode, fixtureJson, strongcoinJobEnv } from './helpers.js';

const env = strongcoinJobEnv();
const tgzDigest = createHash('sha256').update('strongcoin-0.0.13.tgz').digest('hex');
const subjects = [{ name: 'strongcoin-0.0.13.tgz', digest: { sha256: tgzDigest } }];

describe('gitlabProvenance', () => {
  it('writes GitLab\'s SLSA v1 build type from a gitlab.com job\'s variables', () => {
    const statement = gitlabProvenance({ env, subjects, finishedOn: new Date('2023-05-19T14:18:02.123Z') });
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(statement.subject).toEqual(subjects);
    expect(statement.predicate).toMatchObject({
      buildDefinition: {
        buildType: GITLAB_BUILD_TYPE,
        externalParameters: {
          source: 'https://gitlab.com/strongjz/npm-provenance-example',
          entryPoint: 'deploy',
          variables: { CI_CONFIG_PATH: '.gitlab-ci.yml', CI_COMMIT_SHA: '6e02e901e936bfac3d4691984dff8c505410cbc3', CI_JOB_ID: '4316132595' },
        },
        internalParameters: { job: '4316132595', name: '3-blue.shared.runners-manager.gitlab.com/default', architecture: 'linux/amd64' },
        resolvedDependencies: [
          { uri: 'git+https://gitlab.com/strongjz/npm-provenance-example@refs/heads/main', digest: { gitCommit: '6e02e901e936bfac3d4691984dff8c505410cbc3' } },
        ],
      },
      runDetails: {
        builder: { id: 'https://gitlab.com/strongjz/npm-provenance-example/-/runners/12270835' },
        metadata: {
          invocationId: 'https://gitlab.com/strongjz/npm-provenance-example/-/jobs/4316132595',
          startedOn: '2023-05-19T14:17:23Z',
          finishedOn: '2023-05-19T14:18:02Z',
        },
      },
    });
  });

  it('records only predefined, non-secret variables', () => {
    const statement = gitlabProvenance({
      env: { ...env, CI_JOB_TOKEN: 'glcbt-secret', SIGSTORE_ID_TOKEN: 'eyJ.secret', CI_REGISTRY_PASSWORD: 'secret', NPM_TOKEN: 'npm_secret' },
      subjects,
    });
    const text = JSON.stringify(statement);
    expect(text).not.toContain('secret');
    const variables = (statement.predicate as { buildDefinition: { externalParameters: { variables: Record<string, string> } } }).buildDefinition.externalParameters.variables;
    expect(Object.keys(variables).every((name) => name.startsWith('CI_') || name === 'GITLAB_CI')).toBe(true);
  });

  it('names a tag pipeline\'s ref refs/tags/<tag>, as Fulcio\'s certificate does', () => {
    const tagged = { ...env, CI_COMMIT_TAG: 'v0.0.13', CI_COMMIT_REF_NAME: 'v0.0.13', CI_COMMIT_BRANCH: '' };
    const provenance = readProvenance(gitlabProvenance({ env: tagged, subjects }));
    expect(provenance.sourceRef).toBe('refs/tags/v0.0.13');
  });

  it('round-trips through parseStatement, readProvenance and checkProvenance', () => {
    const statement = gitlabProvenance({ env, subjects });
    expect(parseStatement(new TextEncoder().encode(JSON.stringify(statement))).subjects).toEqual(subjects);
    const provenance = readProvenance(JSON.stringify(statement));
    expect(provenance).toEqual({
      slsaVersion: '1',
      predicateType: 'https://slsa.dev/provenance/v1',
      layout: 'gitlab-v1',
      buildType: GITLAB_BUILD_TYPE,
      builderId: 'https://gitlab.com/strongjz/npm-provenance-example/-/runners/12270835',
      sourceRepository: 'https://gitlab.com/strongjz/npm-provenance-example',
      sourceRef: 'refs/heads/main',
      sourceCommit: '6e02e901e936bfac3d4691984dff8c505410cbc3',
      configPath: '.gitlab-ci.yml',
      entryPoint: 'deploy',
      invocationId: 'https://gitlab.com/strongjz/npm-provenance-example/-/jobs/4316132595',
      startedOn: '2023-05-19T14:17:23Z',
      subjects,
    });
    checkProvenance(provenance, {
      subjects: [{ name: 'strongcoin-0.0.13.tgz', digest: { sha256: tgzDigest.toUpperCase() } }],
      buildType: GITLAB_BUILD_TYPE,
      builderId: 'https://gitlab.com/strongjz/npm-provenance-example/-/runners/12270835',
      sourceRepository: 'https://gitlab.com/strongjz/npm-provenance-example',
      sourceCommit: '6E02E901E936BFAC3D4691984DFF8C505410CBC3',
      sourceRef: 'refs/heads/main',
      configPath: '.gitlab-ci.yml',
    });
  });

  it('describes the same source as npm\'s own provenance of that job', () => {
    const ours = readProvenance(gitlabProvenance({ env, subjects }));
    const npms = readProvenance(fixtureJson('npm-gitlab-strongcoin-0.0.13.statement.json'));
    for (const field of ['sourceRepository', 'sourceRef', 'sourceCommit', 'configPath', 'entryPoint', 'invocationId', 'builderId'] as const) {
      expect(ours[field], field).toBe(npms[field]);
    }
  });

  it('omits what the job does not say (no start time, runner description or architecture)', () => {
    const { CI_JOB_STARTED_AT: _s, CI_RUNNER_DESCRIPTION: _d, CI_RUNNER_EXECUTABLE_ARCH: _a, ...bare } = env;
    const statement = gitlabProvenance({ env: bare, subjects });
    const predicate = statement.predicate as { buildDefinition: { internalParameters: object }; runDetails: { metadata: object } };
    expect(predicate.buildDefinition.internalParameters).toEqual({ job: '4316132595' });
    expect(predicate.runDetails.metadata).toEqual({ invocationId: 'https://gitlab.com/strongjz/npm-provenance-example/-/jobs/4316132595' });
  });

  it.each(['CI_SERVER_URL', 'CI_PROJECT_PATH', 'CI_PROJECT_URL', 'CI_COMMIT_SHA', 'CI_COMMIT_REF_NAME', 'CI_CONFIG_PATH', 'CI_JOB_ID', 'CI_JOB_NAME', 'CI_JOB_URL', 'CI_PIPELINE_ID', 'CI_RUNNER_ID'])(
    'refuses to run without %s, naming it',
    (name) => {
      const err = expectCode(() => gitlabProvenance({ env: { ...env, [name]: undefined }, subjects }), 'PROVENANCE_ENV_MISSING');
      expect(err.details).toEqual({ missing: [name] });
    },
  );

  it('outside a GitLab job names every missing variable at once', () => {
    const err = expectCode(() => gitlabProvenance({ env: { HOME: '/root', PATH: '/usr/bin' }, subjects }), 'PROVENANCE_ENV_MISSING');
    expect((err.details as { missing: string[] }).missing).toHaveLength(11);
  });

  it.each([
    ['CI_COMMIT_SHA', '6e02e901'],
    ['CI_COMMIT_SHA', '6E02E901E936BFAC3D4691984DFF8C505410CBC3'],
    ['CI_PROJECT_URL', 'https://gitlab.com/someone/else'],
    ['CI_PROJECT_URL', 'https://user:token@gitlab.com/strongjz/npm-provenance-example'],
    ['CI_SERVER_URL', 'ftp://gitlab.com'],
    ['CI_SERVER_URL', 'not a url'],
    ['CI_JOB_URL', 'https://gitlab.com/strongjz/npm-provenance-example/-/jobs/1'],
    ['CI_JOB_ID', '43x'],
    ['CI_RUNNER_ID', '-1'],
    ['CI_PIPELINE_ID', '1e3'],
    ['CI_JOB_STARTED_AT', 'yesterday'],
    ['CI_COMMIT_TAG', 'x'.repeat(9000)],
  ])('refuses a bad %s (case %#)', (name, value) => {
    const err = expectCode(() => gitlabProvenance({ env: { ...env, [name]: value }, subjects }), 'PROVENANCE_ENV_INVALID');
    expect(err.message).not.toContain('token@');
  });

  it('refuses bad subjects', () => {
    for (const bad of [[], undefined, [{ name: '', digest: { sha256: tgzDigest } }], [{ name: 'a', digest: {} }], [{ name: 'a', digest: { sha256: 'abc' } }], [{ name: 'a', digest: { sha256: 'zz'.repeat(32) } }], [{ name: 'a' }], ['a']]) {
      expectCode(() => gitlabProvenance({ env, subjects: bad as never }), 'PROVENANCE_SUBJECT_INVALID');
    }
    expectCode(() => gitlabProvenance({ env, subjects: Array.from({ length: 1025 }, (_, i) => ({ name: `${i}`, digest: { sha256: tgzDigest } })) }), 'PROVENANCE_SUBJECT_INVALID');
  });

  it('refuses arguments of the wrong type', () => {
    expectCode(() => gitlabProvenance(undefined as never), 'PROVENANCE_OPTIONS_INVALID');
    expectCode(() => gitlabProvenance({ env: 'CI=true' as never, subjects }), 'PROVENANCE_OPTIONS_INVALID');
    expectCode(() => gitlabProvenance({ env, subjects, finishedOn: new Date('nope') }), 'PROVENANCE_OPTIONS_INVALID');
    expectCode(() => gitlabProvenance({ env, subjects, startedOn: '2023-05-19' as never }), 'PROVENANCE_OPTIONS_INVALID');
    expectCode(() => gitlabProvenance({ env: { ...env, CI_JOB_NAME: 42 as never }, subjects }), 'PROVENANCE_ENV_INVALID');
  });
});

describe('subjectsFromFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-provenance-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('digests each file once, named as given', async () => {
    const a = join(dir, 'a.bin');
    const b = join(dir, 'b.txt');
    writeFileSync(a, new Uint8Array(300_000).fill(7));
    writeFileSync(b, 'hello\n');
    const subjects = await subjectsFromFiles([a, b], { algorithms: ['sha256', 'sha512'] });
    expect(subjects).toEqual([
      { name: a, digest: { sha256: createHash('sha256').update(new Uint8Array(300_000).fill(7)).digest('hex'), sha512: createHash('sha512').update(new Uint8Array(300_000).fill(7)).digest('hex') } },
      { name: b, digest: { sha256: createHash('sha256').update('hello\n').digest('hex'), sha512: createHash('sha512').update('hello\n').digest('hex') } },
    ]);
    expect(gitlabProvenance({ env, subjects }).subject).toEqual(subjects);
  });

  it('names a file it cannot read', async () => {
    mkdirSync(join(dir, 'sub'));
    for (const path of [join(dir, 'missing.bin'), join(dir, 'sub')]) {
      const err = await subjectsFromFiles([path]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProvenanceError);
      expect((err as ProvenanceError).code).toBe('PROVENANCE_FILE_UNREADABLE');
      expect((err as ProvenanceError).details).toEqual({ path });
    }
  });

  it('refuses no paths and unknown algorithms', async () => {
    for (const [paths, options] of [[[], {}], [[join(dir, 'b.txt')], { algorithms: ['md5'] }], [[join(dir, 'b.txt')], { algorithms: [] }]] as const) {
      const err = await subjectsFromFiles(paths as never, options as never).catch((e: unknown) => e);
      expect((err as ProvenanceError).code).toBe('PROVENANCE_SUBJECT_INVALID');
    }
  });
});
