import { describe, expect, it } from 'vitest';
import { parseStatement } from '@sigil/bundle';
import { GITHUB_ACTIONS_BUILD_TYPE, GITHUB_WORKFLOW_BUILD_TYPE, readProvenance, type Provenance } from '../src/index.js';
import { expectCode, fixtureJson, fixtureText, NPM_CORPUS, npmCorpusCase } from './helpers.js';

const SLSA_V1 = 'https://slsa.dev/provenance/v1';
const SLSA_V02 = 'https://slsa.dev/provenance/v0.2';

function statement(predicateType: string, predicate: unknown): Record<string, unknown> {
  return { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: 'ab'.repeat(32) } }], predicateType, predicate };
}

describe('readProvenance: real statements', () => {
  const expected: Record<string, Partial<Provenance>> = {
    'go-npm-provenance-sigstore-1.3.0': {
      slsaVersion: '0.2', layout: 'npm-github-v0.2', buildType: 'https://github.com/npm/cli/gha/v2', builderId: 'https://github.com/actions/runner',
      sourceRepository: 'https://github.com/sigstore/sigstore-js', sourceRef: 'refs/heads/main', sourceCommit: 'dae8bd8eb433a4147b4655c00fe73e0f22bc0fb1',
      configPath: '.github/workflows/release.yml', invocationId: '4735384265-1',
    },
    'go-npm-provenance-sigstore-2.0.0': {
      slsaVersion: '1', layout: 'github-workflow-v1', buildType: GITHUB_WORKFLOW_BUILD_TYPE, builderId: 'https://github.com/actions/runner/github-hosted',
      sourceRepository: 'https://github.com/sigstore/sigstore-js', sourceRef: 'refs/heads/main', sourceCommit: 'f0b49a04e5a62250e0f60fb128004a73110fe311',
      configPath: '.github/workflows/release.yml', invocationId: 'https://github.com/sigstore/sigstore-js/actions/runs/5904696764/attempts/1',
    },
    'slsa-npm-ossf-delegator': {
      slsaVersion: '0.2', layout: 'slsa-github-generator-v0.2', buildType: 'https://github.com/slsa-framework/slsa-github-generator/delegator-generic@v0',
      builderId: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_nodejs_slsa3.yml@refs/tags/v1.6.0',
      sourceRepository: 'https://github.com/laurentsimon/provenance-npm-test', sourceRef: 'refs/heads/main', sourceCommit: '34490b44db557f009617bcb92b8780f972c189ab',
      configPath: '.github/workflows/release-slsa3.yml',
    },
    'slsa-npm-sigstore-2.3.1': {
      slsaVersion: '1', layout: 'github-workflow-v1', sourceRepository: 'https://github.com/sigstore/sigstore-js', sourceRef: 'refs/heads/main',
      sourceCommit: '46e7056ff9912ebfee5298d94024895a9fea76c0', configPath: '.github/workflows/release.yml',
    },
    'slsa-npm-supreme-goggles': {
      slsaVersion: '0.2', layout: 'npm-github-v0.2', sourceRepository: 'https://github.com/trishankatdatadog/supreme-goggles', sourceRef: 'refs/tags/v1.0.5',
      sourceCommit: '38ebf99444e033b2f1550c9aaaeacd62d02a12ba', configPath: '.github/workflows/npm-publish.yml',
    },
  };

  it.each(NPM_CORPUS)('%s: reads the npm provenance of the corpus bundle', (name) => {
    const c = npmCorpusCase(name);
    const provenance = readProvenance(c.statement);
    expect(provenance).toMatchObject(expected[name]!);
    expect(provenance.subjects[0]!.name).toMatch(/^pkg:npm\//);
    // The same result from the JSON text, its bytes and @sigil/bundle's parsed statement.
    const text = JSON.stringify(c.statement);
    expect(readProvenance(text)).toEqual(provenance);
    expect(readProvenance(new TextEncoder().encode(text))).toEqual(provenance);
    expect(readProvenance(parseStatement(new TextEncoder().encode(text)))).toEqual(provenance);
  });

  it('reads actions/attest-build-provenance statements like npm\'s GitHub ones', () => {
    const npm = npmCorpusCase('go-npm-provenance-sigstore-2.0.0').statement as { predicate: { buildDefinition: { buildType: string } } };
    npm.predicate.buildDefinition.buildType = GITHUB_ACTIONS_BUILD_TYPE;
    expect(readProvenance(npm)).toMatchObject({ layout: 'github-workflow-v1', buildType: GITHUB_ACTIONS_BUILD_TYPE, sourceRepository: 'https://github.com/sigstore/sigstore-js', sourceRef: 'refs/heads/main', configPath: '.github/workflows/release.yml' });
  });

  it('reads npm\'s GitLab provenance (the seed page\'s SLSA v0.2 example)', () => {
    expect(readProvenance(fixtureText('npm-gitlab-strongcoin-0.0.13.statement.json'))).toEqual({
      slsaVersion: '0.2',
      predicateType: SLSA_V02,
      layout: 'npm-gitlab-v0.2',
      buildType: 'https://github.com/npm/CLI/gitlab/v0alpha1',
      builderId: 'https://gitlab.com/strongjz/npm-provenance-example/-/runners/12270835',
      sourceRepository: 'https://gitlab.com/strongjz/npm-provenance-example',
      sourceRef: 'refs/heads/main', // from CI_COMMIT_BRANCH: npm leaves the ref out of the uri
      sourceCommit: '6e02e901e936bfac3d4691984dff8c505410cbc3',
      configPath: '.gitlab-ci.yml',
      entryPoint: 'deploy',
      invocationId: 'https://gitlab.com/strongjz/npm-provenance-example/-/jobs/4316132595',
      subjects: [{ name: 'pkg:npm/%40strongjz/strongcoin@0.0.13', digest: { sha512: '924a134a0fd4fe6a7c87b4687bf0ac898b9153218ce9ad75798cc27ab2cddbeff77541f3847049bd5e3dfd74cea0a83754e7686852f34b185c3621d3932bc3c8' } }],
    });
  });

  it('leaves npm GitLab provenance without a ref when the job was not a branch pipeline', () => {
    const doc = fixtureJson<{ predicate: { invocation: { parameters: Record<string, string> } } }>('npm-gitlab-strongcoin-0.0.13.statement.json');
    delete doc.predicate.invocation.parameters.CI_COMMIT_BRANCH;
    expect(readProvenance(doc).sourceRef).toBeUndefined();
  });

  it('reads npm 9.4\'s early gha@v0 provenance (an npm attestations answer)', () => {
    const doc = fixtureJson<{ attestations: { bundle: { dsseEnvelope: { payload: string } } }[] }>('sigstore-1.0.0.attestations.json');
    const payload = Buffer.from(doc.attestations[0]!.bundle.dsseEnvelope.payload, 'base64');
    expect(readProvenance(new Uint8Array(payload))).toMatchObject({
      layout: 'npm-github-v0.2',
      builderId: 'https://github.com/npm/cli@9.4.2',
      sourceRepository: 'https://github.com/sigstore/sigstore-js',
      sourceRef: 'refs/tags/v1.0.0',
      sourceCommit: '06528997c3c8ab9f864fad9a3658446aca7fd86d',
      configPath: '.github/workflows/publish.yml', // from entryPoint "sigstore/sigstore-js/.github/workflows/publish.yml@refs/tags/v1.0.0"
    });
  });

  it('reads GitLab\'s own SLSA v1 statements (docs example: plain uri, ref unknown, numeric invocationId)', () => {
    expect(readProvenance(fixtureJson('gitlab-docs-provenance-v1.statement.json'))).toEqual({
      slsaVersion: '1',
      predicateType: SLSA_V1,
      layout: 'gitlab-v1',
      buildType: 'https://docs.gitlab.com/ci/pipeline_security/slsa/provenance_v1',
      builderId: 'http://gdk.test:3000/groups/user/-/runners/33',
      sourceRepository: 'http://gdk.test:3000/root/repo_name',
      sourceCommit: 'a288201509dd9a85da4141e07522bad412938dbe',
      entryPoint: 'build-job',
      invocationId: '412',
      startedOn: '2025-06-05T01:33:18Z',
      finishedOn: '2025-06-05T01:33:23Z',
      subjects: [{ name: 'artifacts.zip', digest: { sha256: '717a1ee89f0a2829cf5aad57054c83615675b04baa913bdc19999d7519edf3f2' } }],
    });
  });

  it('reads GitLab Runner\'s artifact provenance (commit under "sha256", no ref or config path)', () => {
    const provenance = readProvenance(fixtureJson('gitlab-runner-provenance-v1.statement.json'));
    expect(provenance).toMatchObject({
      layout: 'gitlab-runner-v1',
      sourceRepository: 'https://gitlab.com/my-group/my-project/test-runner-generated-slsa-statement',
      sourceCommit: 'bdd2ecda9ef57b129c88617a0215afc9fb223521',
      entryPoint: 'build-job',
      invocationId: '10340684631',
    });
    expect(provenance.sourceRef).toBeUndefined();
    expect(provenance.configPath).toBeUndefined();
    expect(provenance.subjects).toHaveLength(2);
  });

  it('reads GitLab Runner\'s older SLSA v0.2 metadata', () => {
    const provenance = readProvenance(statement(SLSA_V02, {
      buildType: 'https://gitlab.com/gitlab-org/gitlab-runner/-/blob/v15.8.0/PROVENANCE.md',
      builder: { id: 'https://gitlab.com/group/project/-/runners/3785264' },
      invocation: { configSource: { uri: 'https://gitlab.com/group/project', digest: { sha256: '8bcd2df0dcd6ec07b34e5a48393a0c072065960a' }, entryPoint: 'build-job' } },
    }));
    expect(provenance).toMatchObject({ layout: 'gitlab-runner-v0.2', sourceRepository: 'https://gitlab.com/group/project', sourceCommit: '8bcd2df0dcd6ec07b34e5a48393a0c072065960a', entryPoint: 'build-job' });
  });
});

describe('readProvenance: unknown and malformed layouts', () => {
  it('reads only the spec\'s own fields of an unknown v1 build type', () => {
    const provenance = readProvenance(statement(SLSA_V1, {
      buildDefinition: {
        buildType: 'https://example.com/buildtypes/make/v1',
        externalParameters: { source: 'https://example.com/repo', workflow: { repository: 'https://example.com/repo', path: 'x' } },
        resolvedDependencies: [{ uri: 'git+https://example.com/repo@refs/heads/main', digest: { gitCommit: 'ab'.repeat(20) } }],
      },
      runDetails: { builder: { id: 'https://example.com/builder' }, metadata: { invocationId: 'run-1' } },
    }));
    expect(provenance).toEqual({
      slsaVersion: '1', predicateType: SLSA_V1, layout: 'generic', buildType: 'https://example.com/buildtypes/make/v1', builderId: 'https://example.com/builder', invocationId: 'run-1',
      subjects: [{ name: 'a', digest: { sha256: 'ab'.repeat(32) } }],
    });
  });

  it('reads an unknown v0.2 build type\'s configSource, which the v0.2 spec defines, but no config path', () => {
    const provenance = readProvenance(statement(SLSA_V02, {
      buildType: 'https://example.com/make@v1',
      builder: { id: 'https://example.com/builder' },
      invocation: { configSource: { uri: 'git+https://example.com/repo@refs/tags/v1', digest: { sha1: 'AB'.repeat(20) }, entryPoint: 'Makefile' } },
    }));
    expect(provenance).toMatchObject({ layout: 'generic', sourceRepository: 'https://example.com/repo', sourceRef: 'refs/tags/v1', sourceCommit: 'ab'.repeat(20), entryPoint: 'Makefile' });
    expect(provenance.configPath).toBeUndefined();
  });

  it.each([
    ['a plain uri outside GitLab Runner', 'https://example.com/repo'],
    ['a non-http uri', 'git+ssh://git@example.com/repo@main'],
    ['an empty ref', 'git+https://example.com/repo@'],
    ['a scheme-only uri', 'git+https://'],
  ])('does not guess a source from %s', (_, uri) => {
    const provenance = readProvenance(statement(SLSA_V02, {
      buildType: 'https://example.com/make@v1', builder: { id: 'b' }, invocation: { configSource: { uri, digest: { sha1: 'ab'.repeat(20) } } },
    }));
    expect(provenance.sourceRepository).toBeUndefined();
    expect(provenance.sourceCommit).toBeUndefined();
  });

  it('keeps a user@host authority whole and ignores non-commit digests', () => {
    const provenance = readProvenance(statement(SLSA_V02, {
      buildType: 'x', builder: { id: 'b' }, invocation: { configSource: { uri: 'git+https://ci@example.com/repo@refs/heads/main', digest: { sha1: 'not-hex' } } },
    }));
    expect(provenance.sourceRepository).toBe('https://ci@example.com/repo');
    expect(provenance.sourceRef).toBe('refs/heads/main');
    expect(provenance.sourceCommit).toBeUndefined();
  });

  it('reads nothing from fields of the wrong type, and no prototype keys', () => {
    const provenance = readProvenance(statement(SLSA_V1, {
      buildDefinition: { buildType: 'https://docs.gitlab.com/ci/pipeline_security/slsa/provenance_v1', externalParameters: { source: 42, variables: 'x' }, resolvedDependencies: 'none' },
      runDetails: { builder: { id: 'b' }, metadata: { invocationId: 1.5, startedOn: {} } },
    }));
    expect(provenance).toEqual({ slsaVersion: '1', predicateType: SLSA_V1, layout: 'gitlab-v1', buildType: 'https://docs.gitlab.com/ci/pipeline_security/slsa/provenance_v1', builderId: 'b', subjects: provenance.subjects });
    const viaProto = readProvenance(JSON.parse('{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"' + 'ab'.repeat(32) + '"}}],"predicateType":"https://slsa.dev/provenance/v0.2","predicate":{"buildType":"x","builder":{"id":"b"},"__proto__":{"invocation":{"configSource":{"uri":"git+https://evil.example/x"}}}}}'));
    expect(viaProto.sourceRepository).toBeUndefined();
  });

  it('refuses other predicate types', () => {
    expectCode(() => readProvenance(statement('https://slsa.dev/provenance/v1-rc1', {})), 'PROVENANCE_PREDICATE_UNSUPPORTED');
    expectCode(() => readProvenance(statement('https://github.com/npm/attestation/tree/main/specs/publish/v0.1', { name: 'x' })), 'PROVENANCE_PREDICATE_UNSUPPORTED');
  });

  it.each([
    ['v1 without buildType', SLSA_V1, { buildDefinition: {}, runDetails: { builder: { id: 'b' } } }],
    ['v1 without builder.id', SLSA_V1, { buildDefinition: { buildType: 't' }, runDetails: {} }],
    ['v1 with an empty buildType', SLSA_V1, { buildDefinition: { buildType: '' }, runDetails: { builder: { id: 'b' } } }],
    ['v0.2 without buildType', SLSA_V02, { builder: { id: 'b' } }],
    ['v0.2 without builder', SLSA_V02, { buildType: 't' }],
    ['a predicate that is a list', SLSA_V1, []],
    ['no predicate', SLSA_V1, undefined],
  ])('refuses %s', (_, type, predicate) => {
    expectCode(() => readProvenance(statement(type, predicate)), 'PROVENANCE_PREDICATE_INVALID');
  });

  it.each([
    ['text that is not JSON', '{"_type":'],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
    ['a statement without subjects', { _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: SLSA_V1, predicate: {} }],
    ['another _type', { _type: 'https://in-toto.io/Statement/v2', subject: [{ name: 'a', digest: { sha256: 'ab' } }], predicateType: SLSA_V1 }],
    ['a number', 42],
    ['null', null],
    ['a value JSON cannot hold', { _type: 1n }],
  ])('refuses %s', (_, input) => {
    expectCode(() => readProvenance(input as never), 'PROVENANCE_STATEMENT_INVALID');
  });
});
