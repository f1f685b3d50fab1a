/** What the GitLab pre-flight can find; each code names one cause. */
export type ProblemCode =
  | 'CI_TOKEN_MISSING'
  | 'CI_TOKEN_MALFORMED'
  | 'CI_TOKEN_AUDIENCE'
  | 'CI_TOKEN_EXPIRED'
  | 'CI_TOKEN_NOT_YET_VALID'
  | 'CI_TOKEN_NO_CONFIG_REF'
  | 'CI_TOKEN_CLAIMS'
  | 'CI_CONFIG_OTHER_PROJECT'
  | 'CI_CONFIG_REMOTE'
  | 'CI_CHILD_PIPELINE'
  | 'CI_AUTO_DEVOPS'
  | 'CI_FORK_MERGE_REQUEST';

/** One reason this job cannot sign, and the .gitlab-ci.yml change (or other step) that fixes it. */
export interface Problem {
  code: ProblemCode;
  /** What was checked, what was expected and what was found. Never the token. */
  message: string;
  /** The exact .gitlab-ci.yml snippet, with comments saying where it goes. */
  fix: string;
}
