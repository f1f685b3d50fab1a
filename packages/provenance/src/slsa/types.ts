import type { Subject } from '@sigil/bundle';

export const SLSA_PROVENANCE_V0_2 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

/** GitLab's published SLSA v1 build type (docs.gitlab.com, GitLab 18.3+); the one Sigil writes. */
export const GITLAB_BUILD_TYPE = 'https://docs.gitlab.com/ci/pipeline_security/slsa/provenance_v1';
/** GitLab Runner's artifact metadata: `<prefix><runner version or revision>/PROVENANCE.md`. */
export const GITLAB_RUNNER_BUILD_TYPE_PREFIX = 'https://gitlab.com/gitlab-org/gitlab-runner/-/blob/';
/** What npm (v9.8+) writes on GitHub Actions (the SLSA community's definition). */
export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1';
/** GitHub's own copy of that definition, written by actions/attest-build-provenance. */
export const GITHUB_ACTIONS_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';

/** The known producers whose fields readProvenance maps; anything else reads as 'generic'. */
export type ProvenanceLayout =
  | 'gitlab-v1' // GITLAB_BUILD_TYPE: GitLab's own statements and Sigil's gitlabProvenance
  | 'gitlab-runner-v1'
  | 'gitlab-runner-v0.2'
  | 'github-workflow-v1' // either GitHub Actions workflow build type
  | 'npm-gitlab-v0.2' // npm publish --provenance on GitLab CI
  | 'npm-github-v0.2' // npm publish --provenance on GitHub Actions, before npm 9.8
  | 'slsa-github-generator-v0.2'
  | 'generic'; // only what the SLSA spec itself defines

/** One SLSA provenance statement, v0.2 or v1, reduced to the facts a policy checks. */
export interface Provenance {
  slsaVersion: '0.2' | '1';
  predicateType: string;
  layout: ProvenanceLayout;
  buildType: string;
  builderId: string;
  /** The source repository's URL, without `git+` or a ref (`https://gitlab.com/group/project`). */
  sourceRepository?: string;
  /** A full ref: `refs/heads/main`, `refs/tags/v1.2.0`. */
  sourceRef?: string;
  /** The source commit, lower-case hex. */
  sourceCommit?: string;
  /** The CI configuration file in the source repository (`.gitlab-ci.yml`, `.github/workflows/release.yml`). */
  configPath?: string;
  /** The build's entry point as written (GitLab: the job name; v0.2: configSource.entryPoint). */
  entryPoint?: string;
  invocationId?: string;
  startedOn?: string;
  finishedOn?: string;
  subjects: Subject[];
}
