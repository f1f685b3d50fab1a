import { arrayField, asObject, idField, objectField, stringField, type JsonObject } from '../json-fields.js';
import { commitIn, gitlabRefFromVariables, requireString, unmasked } from './fields.js';
import { parseSourceUri } from './source-uri.js';
import { GITHUB_ACTIONS_BUILD_TYPE, GITHUB_WORKFLOW_BUILD_TYPE, GITLAB_BUILD_TYPE, GITLAB_RUNNER_BUILD_TYPE_PREFIX, SLSA_PROVENANCE_V1, type Provenance, type ProvenanceLayout } from './types.js';

type V1Fields = Omit<Provenance, 'slsaVersion' | 'predicateType' | 'subjects'>;
type SourceFields = Pick<Provenance, 'sourceRepository' | 'sourceRef' | 'sourceCommit' | 'configPath' | 'entryPoint'>;

/**
 * SLSA v1: the spec defines only the build type, builder and run metadata; where the source
 * is depends on the build type, so source fields are read for known build types only.
 */
export function readV1(predicate: JsonObject): V1Fields {
  const definition = objectField(predicate, 'buildDefinition');
  const runDetails = objectField(predicate, 'runDetails');
  const buildType = requireString(definition, 'buildType', 'buildDefinition.buildType', SLSA_PROVENANCE_V1);
  const builderId = requireString(objectField(runDetails, 'builder'), 'id', 'runDetails.builder.id', SLSA_PROVENANCE_V1);
  const metadata = objectField(runDetails, 'metadata');
  const layout = layoutOf(buildType);
  return {
    layout,
    buildType,
    builderId,
    ...sourceOf(layout, definition),
    invocationId: idField(metadata, 'invocationId'),
    startedOn: stringField(metadata, 'startedOn'),
    finishedOn: stringField(metadata, 'finishedOn'),
  };
}

function layoutOf(buildType: string): ProvenanceLayout {
  if (buildType === GITLAB_BUILD_TYPE) return 'gitlab-v1';
  if (buildType === GITHUB_WORKFLOW_BUILD_TYPE || buildType === GITHUB_ACTIONS_BUILD_TYPE) return 'github-workflow-v1';
  if (buildType.startsWith(GITLAB_RUNNER_BUILD_TYPE_PREFIX)) return 'gitlab-runner-v1';
  return 'generic';
}

function sourceOf(layout: ProvenanceLayout, definition: JsonObject | undefined): SourceFields {
  const external = objectField(definition, 'externalParameters');
  const dependencies = arrayField(definition, 'resolvedDependencies') ?? [];
  switch (layout) {
    case 'github-workflow-v1': {
      // externalParameters.workflow.ref is the workflow file's ref; the source's is on its dependency.
      const workflow = objectField(external, 'workflow');
      const repository = stringField(workflow, 'repository');
      const source = dependencyOn(repository, dependencies, false);
      return { sourceRepository: repository, sourceRef: source?.ref, sourceCommit: commitIn(source?.digest, 'gitCommit'), configPath: stringField(workflow, 'path') };
    }
    case 'gitlab-v1': {
      // Sigil writes `git+<project>@<ref>`; GitLab the plain project URL, the ref only in its variables.
      const repository = stringField(external, 'source');
      const variables = objectField(external, 'variables');
      const source = dependencyOn(repository, dependencies, true);
      return {
        sourceRepository: repository,
        sourceRef: source?.ref ?? gitlabRefFromVariables(variables),
        sourceCommit: commitIn(source?.digest, 'gitCommit'),
        configPath: unmasked(stringField(variables, 'CI_CONFIG_PATH')),
        entryPoint: stringField(external, 'entryPoint'),
      };
    }
    case 'gitlab-runner-v1': {
      // The runner records variable names only, and the commit under "sha256".
      const repository = stringField(external, 'source');
      const source = dependencyOn(repository, dependencies, true);
      return { sourceRepository: repository, sourceCommit: commitIn(source?.digest, 'gitCommit', 'sha256'), entryPoint: stringField(external, 'entryPoint') };
    }
    default:
      return {};
  }
}

/** The resolved dependency that is `repository` itself (at some ref), with its ref and digest. */
function dependencyOn(repository: string | undefined, dependencies: readonly unknown[], plain: boolean): { ref?: string; digest?: JsonObject } | undefined {
  if (repository === undefined) return undefined;
  for (const item of dependencies) {
    const dependency = asObject(item);
    const location = parseSourceUri(stringField(dependency, 'uri'), { plain });
    if (location?.repository === repository) return { ref: location.ref, digest: objectField(dependency, 'digest') };
  }
  return undefined;
}
