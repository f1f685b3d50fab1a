import { describe, expect, it } from 'vitest';
import { exact, regexp } from '@sigil/verify';
import { checkProvenance, gitlabProvenance, GITLAB_BUILD_TYPE, readProvenance, type ProvenanceErrorCode, type ProvenancePolicy } from '../src/index.js';
import { expectCode, strongcoinJobEnv } from './helpers.js';

const sha256 = 'c0ffee'.padEnd(64, '0');
const sha512 = 'beef'.padEnd(128, '1');
const provenance = readProvenance(
  gitlabProvenance({ env: strongcoinJobEnv(), subjects: [{ name: 'app.tgz', digest: { sha256, sha512 } }, { name: 'app.sbom.json', digest: { sha256: 'ab'.repeat(32) } }] }),
);
const REPO = 'https://gitlab.com/strongjz/npm-provenance-example';

describe('checkProvenance', () => {
  it('accepts provenance that matches every field given', () => {
    checkProvenance(provenance, {});
    checkProvenance(provenance, {
      subjects: [{ digest: { sha512: sha512.toUpperCase() } }, { name: 'app.sbom.json', digest: { sha256: 'ab'.repeat(32), sha1: 'cd'.repeat(20) } }],
      buildType: exact(GITLAB_BUILD_TYPE),
      builderId: regexp('^https://gitlab\\.com/strongjz/npm-provenance-example/-/runners/[0-9]+$', 'builder'),
      sourceRepository: REPO,
      sourceRef: 'refs/heads/main',
      sourceCommit: '6e02e901e936bfac3d4691984dff8c505410cbc3',
      configPath: '.gitlab-ci.yml',
    });
  });

  it.each<[string, ProvenancePolicy, ProvenanceErrorCode, string]>([
    ['another digest', { subjects: [{ digest: { sha256: 'ab'.repeat(32).replace('a', 'b') } }] }, 'PROVENANCE_SUBJECT_MISMATCH', 'subjects'],
    ['a digest in no shared algorithm', { subjects: [{ digest: { sha384: 'ab'.repeat(48) } }] }, 'PROVENANCE_SUBJECT_MISMATCH', 'subjects'],
    ['a digest under another subject name', { subjects: [{ name: 'app.sbom.json', digest: { sha256 } }] }, 'PROVENANCE_SUBJECT_MISMATCH', 'subjects'],
    ['one of two digests differing', { subjects: [{ digest: { sha256, sha512: '0'.repeat(128) } }] }, 'PROVENANCE_SUBJECT_MISMATCH', 'subjects'],
    ['another build type', { buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1' }, 'PROVENANCE_BUILD_TYPE_MISMATCH', 'buildType'],
    ['another builder', { builderId: exact('https://gitlab.com/strongjz/npm-provenance-example/-/runners/1') }, 'PROVENANCE_BUILDER_MISMATCH', 'builderId'],
    ['a builder pattern', { builderId: regexp('^https://gitlab\\.com/other/.*$', 'builder') }, 'PROVENANCE_BUILDER_MISMATCH', 'builderId'],
    ['a longer repository', { sourceRepository: `${REPO}-evil` }, 'PROVENANCE_SOURCE_REPOSITORY_MISMATCH', 'sourceRepository'],
    ['a prefix of the repository', { sourceRepository: 'https://gitlab.com/strongjz' }, 'PROVENANCE_SOURCE_REPOSITORY_MISMATCH', 'sourceRepository'],
    ['another commit', { sourceCommit: '7'.repeat(40) }, 'PROVENANCE_SOURCE_COMMIT_MISMATCH', 'sourceCommit'],
    ['a tag ref', { sourceRef: 'refs/tags/v1.0.0' }, 'PROVENANCE_SOURCE_REF_MISMATCH', 'sourceRef'],
    ['a short ref', { sourceRef: 'main' }, 'PROVENANCE_SOURCE_REF_MISMATCH', 'sourceRef'],
    ['another config', { configPath: 'ci/release.yml' }, 'PROVENANCE_CONFIG_PATH_MISMATCH', 'configPath'],
  ])('refuses %s, naming the field, expected and found', (_, policy, code, field) => {
    const err = expectCode(() => checkProvenance(provenance, policy), code);
    expect((err.details as { field: string }).field).toBe(field);
    expect(err.details).toHaveProperty('expected');
    expect(err.details).toHaveProperty('found');
  });

  it('fails closed on a field the provenance does not carry', () => {
    const { sourceRef: _r, sourceCommit: _c, ...withoutSource } = provenance;
    const err = expectCode(() => checkProvenance(withoutSource, { sourceRef: regexp('^refs/heads/.*$', 'ref') }), 'PROVENANCE_SOURCE_REF_MISMATCH');
    expect(err.details).toMatchObject({ found: undefined });
    expectCode(() => checkProvenance(withoutSource, { sourceCommit: '6e02e901e936bfac3d4691984dff8c505410cbc3' }), 'PROVENANCE_SOURCE_COMMIT_MISMATCH');
  });

  it('refuses a provenance that is not readProvenance\'s result', () => {
    expectCode(() => checkProvenance(undefined as never, {}), 'PROVENANCE_OPTIONS_INVALID');
    expectCode(() => checkProvenance({ builderId: 'x' } as never, {}), 'PROVENANCE_OPTIONS_INVALID');
  });

  it('matches a global regular expression the same way every time', () => {
    const policy = { builderId: { kind: 'regexp' as const, pattern: /^https:\/\/gitlab\.com\/.*$/g } };
    checkProvenance(provenance, policy);
    checkProvenance(provenance, policy);
  });

  it.each<[string, unknown]>([
    ['a policy that is not an object', null],
    ['subjects that are not a list', { subjects: { digest: { sha256 } } }],
    ['a subject that is not an object', { subjects: [null] }],
    ['a short commit', { sourceCommit: '6e02e901' }],
    ['a commit that is not hex', { sourceCommit: 'g'.repeat(40) }],
    ['a matcher of unknown kind', { buildType: { kind: 'glob', value: '*' } }],
    ['a number as matcher', { builderId: 7 }],
    ['a subject without digests', { subjects: [{ name: 'app.tgz', digest: {} }] }],
    ['a subject digest that is not hex', { subjects: [{ digest: { sha256: 'xyz' } }] }],
    ['a subject digest of the wrong length', { subjects: [{ digest: { sha256: 'ab' } }] }],
  ])('refuses %s', (_, policy) => {
    expectCode(() => checkProvenance(provenance, policy as ProvenancePolicy), 'PROVENANCE_POLICY_INVALID');
  });
});
