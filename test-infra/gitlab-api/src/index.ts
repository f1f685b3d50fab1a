// @sigil/gitlab-api: GitLab's REST API for CI/CD variables (projects and groups), served on
// loopback for tests of `gitlab://` key references. Only what cosign and Sigil call.
export { startGitlabApi, type GitlabApiServer, type GitlabApiServerOptions, type StoredVariable, type TokenRole } from './server.js';
