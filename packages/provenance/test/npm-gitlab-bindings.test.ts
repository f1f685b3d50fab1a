import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVirtualSigstore, defaultGitlabClaims, type GitlabClaimsOptions } from '@sigil/stack';
import { TrustMaterial } from '@sigil/trust';
import { certificateIdentity, createVerifier, regexp, type VerificationPolicy } from '@sigil/verify';
import { npmPackageSubject, verifyNpmProvenance } from '../src/index.js';
import { attestationsOf, expectRejection, strongcoinJobEnv, tarball } from './helpers.js';

// npm's own GitLab statements (libnpmpublish provenance.js, npm 11: configSource.uri without a
// ref, the job's predefined variables as parameters, buildInvocationId = CI_JOB_URL) signed
// by a local Sigstore for the job they describe, a real gitlab.com job's variables; then the
// same statements with the ref or the job of another build, as a tag pipeline too.
const sigstore = createVirtualSigstore();
const verifier = createVerifier(TrustMaterial.fromJson(JSON.stringify(sigstore.trustedRootJson)));
const job = strongcoinJobEnv();
const project = job.CI_PROJECT_PATH!;
const pkg = tarball([{ path: 'package/package.json', content: JSON.stringify({ name: '@strongjz/strongcoin', version: '0.0.13' }) }]);
const sha512 = createHash('sha512').update(pkg).digest('hex');
const subject = [{ name: npmPackageSubject('@strongjz/strongcoin', '0.0.13'), digest: { sha512 } }];

// A tag pipeline: GitLab sets CI_COMMIT_TAG and no CI_COMMIT_BRANCH; npm records neither tag variable.
const { CI_COMMIT_BRANCH: _branch, ...tagJobVariables } = job;
const tagJob = { ...tagJobVariables, CI_COMMIT_REF_NAME: 'v0.0.13', CI_COMMIT_REF_SLUG: 'v0-0-13', CI_COMMIT_TAG: 'v0.0.13' };

/** What npm publish --provenance writes for a job with these variables. */
function npmStatement(env: Record<string, string>): Record<string, unknown> {
  const { CI_COMMIT_TAG: _notRecorded, ...parameters } = env;
  return {
    _type: 'https://in-toto.io/Statement/v0.1',
    subject,
    predicateType: 'https://slsa.dev/provenance/v0.2',
    predicate: {
      buildType: 'https://github.com/npm/cli/gitlab/v1alpha1',
      builder: { id: `${env.CI_PROJECT_URL}/-/runners/${env.CI_RUNNER_ID}` },
      invocation: {
        configSource: { uri: `git+${env.CI_PROJECT_URL}`, digest: { sha1: env.CI_COMMIT_SHA }, entryPoint: env.CI_JOB_NAME },
        parameters,
        environment: { name: env.CI_RUNNER_DESCRIPTION, architecture: env.CI_RUNNER_EXECUTABLE_ARCH, server: env.CI_SERVER_URL, project: env.CI_PROJECT_PATH, job: { id: env.CI_JOB_ID }, pipeline: { id: env.CI_PIPELINE_ID, ref: env.CI_CONFIG_PATH } },
      },
      metadata: { buildInvocationId: `${env.CI_JOB_URL}`, completeness: { parameters: true, environment: true, materials: false }, reproducible: false },
      materials: [{ uri: `git+${env.CI_PROJECT_URL}`, digest: { sha1: env.CI_COMMIT_SHA } }],
    },
  };
}

// What `sigil verify-npm` checks without a pinned identity, as npm does.
const ANY_SIGNER: VerificationPolicy = { identities: [{ subjectAlternativeName: regexp('^.+$', 'any identity'), issuer: regexp('^.+$', 'any issuer'), extensions: new Map() }] };

/** Signed for the job of `env` (its project, commit, ref and job id), as its ID token says. */
function verify(statement: Record<string, unknown>, env: Record<string, string>, claims: GitlabClaimsOptions = {}, pinned = true) {
  const refType = env.CI_COMMIT_TAG === undefined ? 'branch' : 'tag';
  const token = defaultGitlabClaims({ project, ref: env.CI_COMMIT_TAG ?? env.CI_COMMIT_BRANCH, refType, sha: env.CI_COMMIT_SHA, jobId: env.CI_JOB_ID, ...claims });
  const bundle = sigstore.signDsse({ statement, identity: { gitlab: token } });
  const policy: VerificationPolicy = pinned ? { identities: [certificateIdentity({ identity: `https://${token.ci_config_ref_uri}`, issuer: token.iss })] } : ANY_SIGNER;
  return verifyNpmProvenance({ tarball: pkg, attestations: attestationsOf(bundle, 'https://slsa.dev/provenance/v0.2'), verifier, policy });
}

describe("npm's GitLab provenance: the ref and the job are the certificate's", () => {
  it('a branch pipeline and a tag pipeline verify', async () => {
    expect((await verify(npmStatement(job), job)).provenance).toMatchObject({ layout: 'npm-gitlab-v0.2', sourceRef: 'refs/heads/main' });
    const tagged = await verify(npmStatement(tagJob), tagJob);
    expect(tagged.signer.extensions.sourceRepositoryRef).toBe('refs/tags/v0.0.13');
    expect(tagged.signer.extensions.runInvocationURI).toBe(job.CI_JOB_URL);
  });

  it('a tag pipeline whose statement names another ref (CI_COMMIT_REF_NAME)', async () => {
    const err = await expectRejection(verify(npmStatement({ ...tagJob, CI_COMMIT_REF_NAME: 'v9.9.9' }), tagJob), 'PROVENANCE_NPM_SOURCE_MISMATCH');
    expect(err.details).toEqual({ field: 'source ref name (CI_COMMIT_REF_NAME)', expected: 'refs/tags/v0.0.13', found: 'v9.9.9' });
  });

  it('a branch pipeline whose CI_COMMIT_REF_NAME is not its branch', async () => {
    await expectRejection(verify(npmStatement({ ...job, CI_COMMIT_REF_NAME: 'release' }), job), 'PROVENANCE_NPM_SOURCE_MISMATCH');
  });

  it('a statement without CI_COMMIT_REF_NAME, or with it masked', async () => {
    const { CI_COMMIT_REF_NAME: _ref, ...unnamed } = tagJob;
    const err = await expectRejection(verify(npmStatement(unnamed), tagJob), 'PROVENANCE_NPM_SOURCE_UNKNOWN');
    expect(err.details).toEqual({ field: 'source ref name (CI_COMMIT_REF_NAME)', expected: 'refs/tags/v0.0.13' });
    await expectRejection(verify(npmStatement({ ...tagJob, CI_COMMIT_REF_NAME: '[MASKED]' }), tagJob), 'PROVENANCE_NPM_SOURCE_UNKNOWN');
  });

  it('a statement about another job of the same pipeline (buildInvocationId and CI_JOB_URL)', async () => {
    const other = `https://gitlab.com/${project}/-/jobs/4316132596`;
    const statement = npmStatement({ ...job, CI_JOB_URL: other });
    const err = await expectRejection(verify(statement, job), 'PROVENANCE_NPM_SOURCE_MISMATCH');
    expect(err.details).toEqual({ field: 'job URL (metadata.buildInvocationId)', expected: job.CI_JOB_URL, found: other });
    // Each of the two records must agree on its own.
    ((statement.predicate as any).metadata as Record<string, string>).buildInvocationId = job.CI_JOB_URL!;
    expect((await expectRejection(verify(statement, job), 'PROVENANCE_NPM_SOURCE_MISMATCH')).details).toMatchObject({ field: 'job URL (CI_JOB_URL)' });
  });

  it('a statement that names no job', async () => {
    const { CI_JOB_URL: _url, ...nameless } = job;
    const statement = npmStatement(nameless);
    delete ((statement.predicate as any).metadata as Record<string, string>).buildInvocationId;
    await expectRejection(verify(statement, job), 'PROVENANCE_NPM_SOURCE_UNKNOWN');
  });
});

describe("a private Fulcio whose template puts another host in Source Repository URI", () => {
  it('says so, naming both hosts, instead of "another build"', async () => {
    const host = 'gitlab.example.com';
    const selfManaged = {
      ...job,
      CI_SERVER_URL: `https://${host}`,
      CI_SERVER_HOST: host,
      CI_PROJECT_URL: `https://${host}/${project}`,
      CI_JOB_URL: `https://${host}/${project}/-/jobs/${job.CI_JOB_ID}`,
    };
    // Fulcio's GitLab template defaults its URL to https://gitlab.com for every GitLab issuer.
    const err = await expectRejection(verify(npmStatement(selfManaged), selfManaged, { host }), 'PROVENANCE_NPM_SOURCE_MISMATCH');
    expect(err.message).toBe(
      `provenance source repository: the signing certificate's Source Repository URI "https://gitlab.com/${project}" is on gitlab.com, but the instance that signed is ${host} ` +
        `(the certificate's identity "https://${host}/${project}//.gitlab-ci.yml@refs/heads/main", issuer "https://${host}"); the provenance names "https://${host}/${project}". ` +
        'The Fulcio that issued the certificate puts another host in Source Repository URI than the instance that signed',
    );
    expect(err.hint).toBe(`the Fulcio's CI provider template must name this instance's URL (for GitLab, ci-issuer-metadata url: https://${host}); until then its certificates cannot be bound to provenance from ${host}`);
    expect(err.details).toMatchObject({ certificateHost: 'gitlab.com', signingInstanceHost: host });
  });

  it('refuses the certificate even when the provenance names what it says (gitlab.com), pinned or not', async () => {
    // A job on another instance whose statement copies the certificate: npm records the job's
    // variables, and they are whatever that instance (or its owner) chose to set.
    const host = 'gitlab.evil.example';
    for (const pinned of [false, true]) {
      const err = await expectRejection(verify(npmStatement(job), job, { host }, pinned), 'PROVENANCE_NPM_SOURCE_MISMATCH');
      expect(err.details).toEqual({
        field: 'source repository', expected: `https://gitlab.com/${project}`, found: `https://gitlab.com/${project}`, certificateHost: 'gitlab.com', signingInstanceHost: host,
      });
      expect(err.message).toContain(`is on gitlab.com, but the instance that signed is ${host}`);
    }
  });
});
