import type { IssuerType } from './issuer-type.js';

/** The job keyword that gives a GitLab job a token Fulcio accepts. */
export const GITLAB_ID_TOKENS_BLOCK = `id_tokens:
  SIGSTORE_ID_TOKEN:
    aud: sigstore`;

const GITLAB_DECLARE = `declare the token in the signing job of the project's own .gitlab-ci.yml:\n${GITLAB_ID_TOKENS_BLOCK}`;

/** How to get a token for the right audience, in the words of each issuer. */
export function audienceHint(issuerType: IssuerType | undefined, audience: string): string {
  switch (issuerType) {
    case 'gitlab':
      return `In GitLab CI, ${GITLAB_DECLARE.replace('aud: sigstore', `aud: ${audience}`)}`;
    case 'github':
      return `On GitHub Actions, request the token with audience=${audience} (ACTIONS_ID_TOKEN_REQUEST_URL&audience=${audience}).`;
    default:
      return `Ask the identity provider for a token whose audience (client id) is '${audience}'.`;
  }
}

/** Where a token comes from, for when none was found. */
export const MISSING_TOKEN_HINT =
  `In GitLab CI, ${GITLAB_DECLARE}\n` +
  'On GitHub Actions, grant the workflow `permissions: id-token: write`. ' +
  'Elsewhere, pass --identity-token TOKEN, or --identity-token @FILE to read it from a file.';

export const MALFORMED_TOKEN_HINT =
  'Pass the token itself (three base64url parts joined by dots), or @FILE to read it from a file; ' +
  `in GitLab CI it is the variable the job declares with:\n${GITLAB_ID_TOKENS_BLOCK}`;

export function expiredHint(issuerType: IssuerType): string {
  if (issuerType === 'gitlab') {
    return "GitLab ID tokens expire with the job's timeout (5 minutes without one): sign earlier in the job or raise its timeout, and check this machine's clock.";
  }
  return "Get a fresh token and sign right away, and check this machine's clock.";
}

export function claimsHint(issuerType: IssuerType): string {
  switch (issuerType) {
    case 'gitlab':
      return `GitLab puts project_path and ci_config_ref_uri into the ID tokens of a job that declares, in the project's own .gitlab-ci.yml:\n${GITLAB_ID_TOKENS_BLOCK}`;
    case 'github':
      return 'Use the token GitHub Actions issues to the workflow run (`permissions: id-token: write`), not one minted elsewhere.';
    case 'email':
      return 'Sign in with an identity provider that puts a verified email address into the token.';
    case 'other':
      return 'Use a token from an issuer this Sigstore instance supports, with the claims its certificate needs.';
  }
}

export const GITLAB_CONFIG_HINT =
  "Sign in a job defined in the project's own .gitlab-ci.yml (not in a configuration included from another project, a child pipeline or AutoDevOps), " +
  `and declare the token there:\n${GITLAB_ID_TOKENS_BLOCK}\n` +
  "For merge requests from forks, sign in the parent project's pipeline instead.";
