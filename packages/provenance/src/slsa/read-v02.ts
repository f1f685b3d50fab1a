import { objectField, stringField, type JsonObject } from '../json-fields.js';
import { commitIn, gitlabRefFromVariables, requireString } from './fields.js';
import { parseSourceUri } from './source-uri.js';
import { GITLAB_RUNNER_BUILD_TYPE_PREFIX, SLSA_PROVENANCE_V0_2, type Provenance, type ProvenanceLayout } from './types.js';

type V02Fields = Omit<Provenance, 'slsaVersion' | 'predicateType' | 'subjects'>;

const NPM_GITLAB = /^https:\/\/github\.com\/npm\/cli\/gitlab\/v[01]alpha1$/i; // the GitLab docs spell it npm/CLI
const NPM_GITHUB_V2 = 'https://github.com/npm/cli/gha/v2';
const NPM_GITHUB_EARLY = /^https:\/\/github\.com\/npm\/cli\/gha@v[01]$/; // entryPoint = GITHUB_WORKFLOW_REF
const SLSA_GITHUB_GENERATOR = 'https://github.com/slsa-framework/slsa-github-generator/';

/**
 * SLSA v0.2: `invocation.configSource` is where the build's configuration came from, so
 * its `git+<url>@<ref>` uri and commit digest name the source for every builder. The rest
 * (config path, a ref npm left out of the uri) is read only for producers whose layout is known.
 */
export function readV02(predicate: JsonObject): V02Fields {
  const buildType = requireString(predicate, 'buildType', 'buildType', SLSA_PROVENANCE_V0_2);
  const builderId = requireString(objectField(predicate, 'builder'), 'id', 'builder.id', SLSA_PROVENANCE_V0_2);
  const invocation = objectField(predicate, 'invocation');
  const configSource = objectField(invocation, 'configSource');
  const metadata = objectField(predicate, 'metadata');
  const layout = layoutOf(buildType);
  const entryPoint = stringField(configSource, 'entryPoint');
  const digest = objectField(configSource, 'digest');
  // GitLab Runner wrote the plain project URL, and the commit under "sha256".
  const runner = layout === 'gitlab-runner-v0.2';
  const source = parseSourceUri(stringField(configSource, 'uri'), { plain: runner });
  const parameters = objectField(invocation, 'parameters');
  return {
    layout,
    buildType,
    builderId,
    sourceRepository: source?.repository,
    sourceRef: source?.ref ?? (layout === 'npm-gitlab-v0.2' ? gitlabRefFromVariables(parameters) : undefined),
    sourceCommit: source ? (runner ? commitIn(digest, 'sha256') : commitIn(digest, 'sha1', 'gitCommit')) : undefined,
    configPath: configPathOf(layout, entryPoint, parameters, source?.repository),
    entryPoint,
    invocationId: stringField(metadata, 'buildInvocationId'),
    startedOn: stringField(metadata, 'buildStartedOn'),
    finishedOn: stringField(metadata, 'buildFinishedOn'),
  };
}

function layoutOf(buildType: string): ProvenanceLayout {
  if (NPM_GITLAB.test(buildType)) return 'npm-gitlab-v0.2';
  if (buildType === NPM_GITHUB_V2 || NPM_GITHUB_EARLY.test(buildType)) return 'npm-github-v0.2';
  if (buildType.startsWith(SLSA_GITHUB_GENERATOR)) return 'slsa-github-generator-v0.2';
  if (buildType.startsWith(GITLAB_RUNNER_BUILD_TYPE_PREFIX)) return 'gitlab-runner-v0.2';
  return 'generic';
}

function configPathOf(layout: ProvenanceLayout, entryPoint: string | undefined, parameters: JsonObject | undefined, repository: string | undefined): string | undefined {
  switch (layout) {
    case 'npm-gitlab-v0.2':
      return stringField(parameters, 'CI_CONFIG_PATH'); // entryPoint is the job name
    case 'slsa-github-generator-v0.2':
      return entryPoint;
    case 'npm-github-v0.2':
      return entryPoint === undefined ? undefined : workflowPath(entryPoint, repository);
    default:
      return undefined;
  }
}

// npm 9.4-9.5 wrote GITHUB_WORKFLOW_REF (`owner/repo/.github/workflows/x.yml@ref`); later the path alone.
function workflowPath(entryPoint: string, repository: string | undefined): string | undefined {
  if (!entryPoint.includes('@')) return entryPoint;
  const repoPath = repository === undefined ? undefined : new URL(repository).pathname.slice(1);
  const prefix = `${repoPath}/`;
  const at = entryPoint.indexOf('@', prefix.length);
  if (repoPath === undefined || !entryPoint.startsWith(prefix) || at < 0) return undefined;
  return entryPoint.slice(prefix.length, at);
}
