import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVirtualSigstore, defaultGitlabClaims, type GitlabClaimsOptions } from '@sigil/stack';
import { TrustMaterial } from '@sigil/trust';
import { PolicyError, VerificationError, certificateIdentity, createVerifier, type VerificationPolicy } from '@sigil/verify';
import { gitlabProvenance, npmPackageSubject, parseNpmAttestations, verifyNpmProvenance, type ProvenanceErrorCode } from '../src/index.js';
import { attestationsOf, expectRejection, fixtureJson, flipByte, NPM_CORPUS, npmCorpusCase, prodTrust, tarball } from './helpers.js';

const SLSA_V1 = 'https://slsa.dev/provenance/v1';
const SLSA_V02 = 'https://slsa.dev/provenance/v0.2';
const PUBLISH = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';

function corpusPolicy(identity: string, issuer: string): VerificationPolicy {
  return { identities: [certificateIdentity({ identity, issuer })] };
}

describe('verifyNpmProvenance: real npm packages (public-good bundles and their tarballs)', () => {
  const verifier = createVerifier(prodTrust());

  it.each(NPM_CORPUS)('%s verifies end to end', async (name) => {
    const c = npmCorpusCase(name);
    const predicateType = c.statement.predicateType as string;
    const result = await verifyNpmProvenance({
      tarball: c.tarball,
      attestations: JSON.stringify(attestationsOf(c.bundle, predicateType)),
      verifier,
      policy: corpusPolicy(c.identity, c.issuer),
    });
    const subject = (c.statement.subject as { name: string }[])[0]!.name;
    expect(result.purl).toBe(subject);
    expect(npmPackageSubject(result.name, result.version)).toBe(subject);
    expect(result.integrity).toBe(`sha512-${createHash('sha512').update(c.tarball).digest('base64')}`);
    expect(result.signer.identity).toBe(c.identity);
    expect(result.provenance.sourceRepository).toBe(result.signer.extensions.sourceRepositoryURI);
    expect(result.provenance.sourceCommit).toBe(result.signer.extensions.sourceRepositoryDigest);
    expect(result.provenance.predicateType).toBe(predicateType);
    expect(result.verification.timestamps.length).toBeGreaterThan(0);
  });

  it('accepts the parsed attestations and checks the expected name and version', async () => {
    const c = npmCorpusCase('go-npm-provenance-sigstore-2.0.0');
    const attestations = parseNpmAttestations(attestationsOf(c.bundle, SLSA_V1));
    const result = await verifyNpmProvenance({ tarball: c.tarball, attestations, verifier, policy: corpusPolicy(c.identity, c.issuer), expectedName: 'sigstore', expectedVersion: '2.0.0' });
    expect(result).toMatchObject({ name: 'sigstore', version: '2.0.0', purl: 'pkg:npm/sigstore@2.0.0' });
  });

  it('refuses a tarball with one byte changed', async () => {
    const c = npmCorpusCase('slsa-npm-sigstore-2.3.1');
    const options = { attestations: attestationsOf(c.bundle, SLSA_V1), verifier, policy: corpusPolicy(c.identity, c.issuer) };
    // In the gzip header's mtime: the same package.json, another sha512.
    const mtime = flipByte(c.tarball, 5);
    const err = await verifyNpmProvenance({ ...options, tarball: mtime }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerificationError);
    expect((err as VerificationError).code).toBe('VERIFY_ARTIFACT_MISMATCH');
    // In the compressed data: the digest fails before the archive is unpacked.
    const body = flipByte(c.tarball, c.tarball.length >> 1);
    expect(await verifyNpmProvenance({ ...options, tarball: body }).catch((e: VerificationError) => e.code)).toBe('VERIFY_ARTIFACT_MISMATCH');
  });

  it('refuses another package\'s tarball', async () => {
    const c = npmCorpusCase('slsa-npm-sigstore-2.3.1');
    const other = npmCorpusCase('go-npm-provenance-sigstore-2.0.0');
    const err = await verifyNpmProvenance({ tarball: other.tarball, attestations: attestationsOf(c.bundle, SLSA_V1), verifier, policy: corpusPolicy(c.identity, c.issuer) }).catch((e: unknown) => e);
    expect((err as VerificationError).code).toBe('VERIFY_ARTIFACT_MISMATCH');
  });

  it.each([
    ['name', { expectedName: 'sigstore-evil' }],
    ['version', { expectedVersion: '2.3.2' }],
  ])('refuses a package whose %s is not the expected one', async (_, expected) => {
    const c = npmCorpusCase('slsa-npm-sigstore-2.3.1');
    await expectRejection(verifyNpmProvenance({ tarball: c.tarball, attestations: attestationsOf(c.bundle, SLSA_V1), verifier, policy: corpusPolicy(c.identity, c.issuer), ...expected }), 'PROVENANCE_NPM_PACKAGE_MISMATCH');
  });

  it('refuses a signer the policy does not name (the pinned identity)', async () => {
    const c = npmCorpusCase('slsa-npm-supreme-goggles');
    const policy = { identities: [certificateIdentity({ identity: c.identity, issuer: c.issuer, extensions: { sourceRepositoryURI: 'https://github.com/sigstore/sigstore-js' } })] };
    const err = await verifyNpmProvenance({ tarball: c.tarball, attestations: attestationsOf(c.bundle, SLSA_V02), verifier, policy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).code).toBe('POLICY_EXTENSION_MISMATCH');
  });

  it('reads the registry\'s real two-attestation answer (provenance and publish attestation)', () => {
    const attestations = parseNpmAttestations(JSON.stringify(fixtureJson('sigstore-1.0.0.attestations.json')));
    expect(attestations.map((a) => a.predicateType)).toEqual([SLSA_V02, PUBLISH]);
    expect(attestations[1]!.bundle.content.$case).toBe('dsseEnvelope');
  });

  it.each<[string, unknown, ProvenanceErrorCode]>([
    ['only a publish attestation', 'publish-only', 'PROVENANCE_NPM_PROVENANCE_MISSING'],
    ['two provenance attestations', 'two', 'PROVENANCE_NPM_PROVENANCE_AMBIGUOUS'],
    ['a label that is not what the bundle signs', 'mislabelled', 'PROVENANCE_NPM_ATTESTATIONS_INVALID'],
    ['no attestations list', { attestation: [] }, 'PROVENANCE_NPM_ATTESTATIONS_INVALID'],
    ['an empty list', { attestations: [] }, 'PROVENANCE_NPM_ATTESTATIONS_INVALID'],
    ['an entry without predicateType', { attestations: [{ bundle: {} }] }, 'PROVENANCE_NPM_ATTESTATIONS_INVALID'],
    ['an entry whose bundle does not parse', { attestations: [{ predicateType: SLSA_V1, bundle: { mediaType: 'x' } }] }, 'PROVENANCE_NPM_ATTESTATIONS_INVALID'],
    ['text that is not JSON', '{"attestations":', 'PROVENANCE_NPM_ATTESTATIONS_INVALID'],
    ['a parsed list with a malformed entry', [{ predicateType: SLSA_V1 }], 'PROVENANCE_NPM_ATTESTATIONS_INVALID'],
    ['null', null, 'PROVENANCE_NPM_ATTESTATIONS_INVALID'],
  ])('refuses %s', async (_, document, code) => {
    const c = npmCorpusCase('slsa-npm-sigstore-2.3.1');
    const publish = fixtureJson<{ attestations: unknown[] }>('sigstore-1.0.0.attestations.json').attestations[1];
    const attestations =
      document === 'publish-only' ? { attestations: [publish] }
      : document === 'two' ? { attestations: [{ predicateType: SLSA_V1, bundle: c.bundle }, { predicateType: SLSA_V1, bundle: c.bundle }] }
      : document === 'mislabelled' ? attestationsOf(c.bundle, SLSA_V02)
      : document;
    await expectRejection(verifyNpmProvenance({ tarball: c.tarball, attestations, verifier, policy: corpusPolicy(c.identity, c.issuer) }), code);
  });

  it('refuses options without a verifier', async () => {
    const c = npmCorpusCase('slsa-npm-sigstore-2.3.1');
    await expectRejection(verifyNpmProvenance({ tarball: c.tarball, attestations: attestationsOf(c.bundle, SLSA_V1), verifier: {} as never, policy: {} }), 'PROVENANCE_OPTIONS_INVALID');
    await expectRejection(verifyNpmProvenance(undefined as never), 'PROVENANCE_OPTIONS_INVALID');
  });
});

describe('verifyNpmProvenance: packages built on GitLab CI (a local Sigstore)', () => {
  const sigstore = createVirtualSigstore();
  const verifier = createVerifier(TrustMaterial.fromJson(JSON.stringify(sigstore.trustedRootJson)));
  const commit = '3f1c0ffee0ddba11ad5eed5eed5eedcafe0b0e00';
  const pkg = tarball([{ path: 'package/package.json', content: JSON.stringify({ name: '@acme/widget', version: '1.2.3', repository: { url: 'git+https://gitlab.com/acme/widget.git' } }) }, { path: 'package/index.js', content: 'export {};\n' }]);
  const sha512 = createHash('sha512').update(pkg).digest('hex');
  const purl = 'pkg:npm/%40acme/widget@1.2.3';
  const env = {
    GITLAB_CI: 'true', CI_SERVER_URL: 'https://gitlab.com', CI_PROJECT_PATH: 'acme/widget', CI_PROJECT_URL: 'https://gitlab.com/acme/widget', CI_PROJECT_ID: '20',
    CI_COMMIT_SHA: commit, CI_COMMIT_REF_NAME: 'main', CI_COMMIT_BRANCH: 'main', CI_CONFIG_PATH: '.gitlab-ci.yml', CI_JOB_ID: '302', CI_JOB_NAME: 'publish',
    CI_JOB_URL: 'https://gitlab.com/acme/widget/-/jobs/302', CI_PIPELINE_ID: '574', CI_RUNNER_ID: '12270835', CI_JOB_STARTED_AT: '2025-06-05T01:33:18Z',
  };
  const identity = 'https://gitlab.com/acme/widget//.gitlab-ci.yml@refs/heads/main';
  const policy: VerificationPolicy = { identities: [certificateIdentity({ identity, issuer: 'https://gitlab.com', extensions: { sourceRepositoryURI: 'https://gitlab.com/acme/widget' } })] };

  function signed(statement: unknown, claims: GitlabClaimsOptions = {}) {
    const bundle = sigstore.signDsse({ statement, identity: { gitlab: defaultGitlabClaims({ project: 'acme/widget', ref: 'main', sha: commit, jobId: '302', ...claims }) } });
    return attestationsOf(bundle, (statement as { predicateType: string }).predicateType);
  }

  const ours = gitlabProvenance({ env, subjects: [{ name: purl, digest: { sha512 } }] });

  it('verifies Sigil\'s GitLab provenance of an npm package, bound to the certificate\'s project, commit and ref', async () => {
    const result = await verifyNpmProvenance({ tarball: pkg, attestations: signed(ours), verifier, policy, expectedName: '@acme/widget', expectedVersion: '1.2.3' });
    expect(result).toMatchObject({ name: '@acme/widget', version: '1.2.3', purl });
    expect(result.provenance).toMatchObject({ layout: 'gitlab-v1', sourceRepository: 'https://gitlab.com/acme/widget', sourceRef: 'refs/heads/main', sourceCommit: commit });
    expect(result.signer.extensions).toMatchObject({ sourceRepositoryURI: 'https://gitlab.com/acme/widget', sourceRepositoryDigest: commit, sourceRepositoryRef: 'refs/heads/main' });
  });

  it('verifies npm\'s own GitLab provenance layout (SLSA v0.2)', async () => {
    const npmStyle = {
      _type: 'https://in-toto.io/Statement/v0.1',
      subject: [{ name: purl, digest: { sha512 } }],
      predicateType: SLSA_V02,
      predicate: {
        buildType: 'https://github.com/npm/cli/gitlab/v0alpha1',
        builder: { id: 'https://gitlab.com/acme/widget/-/runners/12270835' },
        invocation: { configSource: { uri: 'git+https://gitlab.com/acme/widget', digest: { sha1: commit }, entryPoint: 'publish' }, parameters: { CI_COMMIT_BRANCH: 'main', CI_COMMIT_REF_NAME: 'main', CI_CONFIG_PATH: '.gitlab-ci.yml', CI_JOB_URL: 'https://gitlab.com/acme/widget/-/jobs/302' } },
        metadata: { buildInvocationId: 'https://gitlab.com/acme/widget/-/jobs/302' },
        materials: [{ uri: 'git+https://gitlab.com/acme/widget', digest: { sha1: commit } }],
      },
    };
    const result = await verifyNpmProvenance({ tarball: pkg, attestations: signed(npmStyle), verifier, policy });
    expect(result.provenance).toMatchObject({ layout: 'npm-gitlab-v0.2', sourceRef: 'refs/heads/main', configPath: '.gitlab-ci.yml' });
  });

  it.each<[string, GitlabClaimsOptions, string]>([
    ['another project', { project: 'mallory/widget' }, 'https://gitlab.com/mallory/widget//.gitlab-ci.yml@refs/heads/main'],
    ['another commit', { sha: '0'.repeat(40) }, identity],
    ['another ref', { ref: 'dev' }, 'https://gitlab.com/acme/widget//.gitlab-ci.yml@refs/heads/dev'],
  ])('refuses provenance signed by a job of %s than it names', async (_, claims, signerIdentity) => {
    const loosePolicy = { identities: [certificateIdentity({ identity: signerIdentity, issuer: 'https://gitlab.com' })] };
    const err = await expectRejection(verifyNpmProvenance({ tarball: pkg, attestations: signed(ours, claims), verifier, policy: loosePolicy }), 'PROVENANCE_NPM_SOURCE_MISMATCH');
    expect(err.details).toHaveProperty('field');
  });

  it('refuses provenance whose commit is missing or garbled while the certificate names one', async () => {
    const garbled = structuredClone(ours) as unknown as { predicate: { buildDefinition: { resolvedDependencies: { digest: Record<string, string> }[] } } };
    garbled.predicate.buildDefinition.resolvedDependencies[0]!.digest = { gitCommit: 'deadbeef' };
    const err = await expectRejection(verifyNpmProvenance({ tarball: pkg, attestations: signed(garbled), verifier, policy }), 'PROVENANCE_NPM_SOURCE_UNKNOWN');
    expect(err.details).toMatchObject({ field: 'source commit', expected: commit });
  });

  it('refuses a self-managed instance\'s provenance, whose certificate names gitlab.com (Fulcio\'s template default)', async () => {
    const selfManaged = gitlabProvenance({
      env: { ...env, CI_SERVER_URL: 'https://gitlab.example.com', CI_PROJECT_URL: 'https://gitlab.example.com/acme/widget', CI_JOB_URL: 'https://gitlab.example.com/acme/widget/-/jobs/302' },
      subjects: [{ name: purl, digest: { sha512 } }],
    });
    const claims = { host: 'gitlab.example.com' };
    const loosePolicy = { identities: [certificateIdentity({ identity: 'https://gitlab.example.com/acme/widget//.gitlab-ci.yml@refs/heads/main', issuer: 'https://gitlab.example.com' })] };
    await expectRejection(verifyNpmProvenance({ tarball: pkg, attestations: signed(selfManaged, claims), verifier, policy: loosePolicy }), 'PROVENANCE_NPM_SOURCE_MISMATCH');
  });

  it('refuses a statement about another package with this tarball\'s digest', async () => {
    const other = gitlabProvenance({ env, subjects: [{ name: npmPackageSubject('@acme/widget', '1.2.4'), digest: { sha512 } }] });
    await expectRejection(verifyNpmProvenance({ tarball: pkg, attestations: signed(other), verifier, policy }), 'PROVENANCE_NPM_SUBJECT_MISMATCH');
  });

  it('refuses provenance that names no source repository', async () => {
    const opaque = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: purl, digest: { sha512 } }],
      predicateType: SLSA_V1,
      predicate: { buildDefinition: { buildType: 'https://example.com/opaque/v1', externalParameters: {} }, runDetails: { builder: { id: 'https://example.com/builder' } } },
    };
    await expectRejection(verifyNpmProvenance({ tarball: pkg, attestations: signed(opaque), verifier, policy }), 'PROVENANCE_NPM_SOURCE_UNKNOWN');
  });

  it('refuses a signed statement that is not SLSA provenance', async () => {
    const publish = { _type: 'https://in-toto.io/Statement/v0.1', subject: [{ name: purl, digest: { sha512 } }], predicateType: PUBLISH, predicate: { name: '@acme/widget', version: '1.2.3' } };
    const attestations = { attestations: [{ predicateType: SLSA_V1, bundle: signed(publish).attestations[0]!.bundle }] };
    await expectRejection(verifyNpmProvenance({ tarball: pkg, attestations, verifier, policy }), 'PROVENANCE_NPM_ATTESTATIONS_INVALID');
  });
});
