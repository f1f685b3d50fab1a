import type { Stack } from '@sigil/stack';

/**
 * The ID token GitLab gives a job that declares `id_tokens: NAME: aud: <aud>`, minted by the
 * local stack with claims that match the job's variables (env): the project, the ref of the
 * pipeline (a tag, else the branch, else a merge request's source branch, as GitLab's
 * source_ref_path) and ci_config_ref_uri built from them.
 */
export function mintJobToken(stack: Stack, env: Record<string, string | undefined>, aud: string | string[]): Promise<string> {
  const host = env.CI_SERVER_URL!.replace(/^https?:\/\//, '');
  const tag = env.CI_COMMIT_TAG;
  const branch = env.CI_COMMIT_BRANCH ?? env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME ?? env.CI_COMMIT_REF_NAME!;
  const refPath = tag ? `refs/tags/${tag}` : `refs/heads/${branch}`;
  return stack.mintToken({
    kind: 'gitlab',
    host,
    project: env.CI_PROJECT_PATH!,
    ref: tag ?? branch,
    refType: tag ? 'tag' : 'branch',
    claims: {
      aud,
      ci_config_ref_uri: `${host}/${env.CI_PROJECT_PATH}//${env.CI_CONFIG_PATH}@${refPath}`,
      sha: env.CI_COMMIT_SHA,
      ci_config_sha: env.CI_COMMIT_SHA,
      project_id: env.CI_PROJECT_ID,
      ...(env.CI_JOB_ID ? { job_id: env.CI_JOB_ID } : {}),
      pipeline_id: env.CI_PIPELINE_ID,
      pipeline_source: env.CI_PIPELINE_SOURCE,
      // Models a private Fulcio whose GitLab template `url` is this instance (how a
      // self-managed deployment sets it up), so that Source Repository URI names this
      // instance as CI_PROJECT_URL does; public Fulcio would write https://gitlab.com there.
      url: env.CI_SERVER_URL,
    },
  });
}
