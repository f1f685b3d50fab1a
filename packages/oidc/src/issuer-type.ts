export type IssuerType = 'gitlab' | 'github' | 'email' | 'other';

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

// GitLab tokens come from any instance's URL, so GitLab is recognised by the claims only
// GitLab writes; ci_config_ref_uri may be missing (that is a failure of its own), so the
// project and namespace claims count too.
const GITLAB_CLAIMS = ['ci_config_ref_uri', 'project_path', 'namespace_path'];

/** Which kind of issuer wrote the claims, and so which certificate identity Fulcio will derive. */
export function issuerTypeOf(claims: Readonly<Record<string, unknown>>): IssuerType {
  if (claims.iss === GITHUB_ACTIONS_ISSUER) return 'github';
  if (GITLAB_CLAIMS.some((name) => claims[name] !== undefined)) return 'gitlab';
  if (claims.job_workflow_ref !== undefined) return 'github';
  if (claims.email !== undefined) return 'email';
  return 'other';
}
