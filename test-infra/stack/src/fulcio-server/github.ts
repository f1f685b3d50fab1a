import { typeOf } from '@sigil/encoding';
import { invalid } from '../checks.js';
import { requiredClaims, stringify, type FulcioIdentity } from '../gitlab.js';

export interface GithubMappingOptions {
  /** The template's `{url}`; default `https://github.com`. A token claim named `url` wins, as in Fulcio. */
  url?: string;
}

/**
 * Fulcio's `github-workflow` mapping (config/identity/config.yaml, PROTOCOLS.md 2.5): SAN
 * `{url}/{job_workflow_ref}`, the deprecated `.1.2`-`.1.6` extensions, and the rest from
 * the template. A claim the template reads that is absent fails with STACK_CLAIM_MISSING;
 * `environment` is optional.
 */
export function githubClaimsToFulcio(claims: Record<string, unknown>, options: GithubMappingOptions = {}): FulcioIdentity {
  if (typeof claims !== 'object' || claims === null) invalid(`GitHub claims: expected an object, found ${typeOf(claims)}`);
  const claim = requiredClaims(claims, 'GitHub');
  const url = stringify(claims.url) ?? options.url ?? 'https://github.com';
  const repositoryUri = `${url}/${claim('repository')}`;
  const signerUri = `${url}/${claim('job_workflow_ref')}`;
  return {
    san: { type: 'uri', value: signerUri },
    issuer: claim('iss'),
    extensions: {
      githubWorkflowTrigger: claim('event_name'),
      githubWorkflowSHA: claim('sha'),
      githubWorkflowName: claim('workflow'),
      githubWorkflowRepository: claim('repository'),
      githubWorkflowRef: claim('ref'),
      buildSignerURI: signerUri,
      buildSignerDigest: claim('job_workflow_sha'),
      runnerEnvironment: claim('runner_environment'),
      sourceRepositoryURI: repositoryUri,
      sourceRepositoryDigest: claim('sha'),
      sourceRepositoryRef: claim('ref'),
      sourceRepositoryIdentifier: claim('repository_id'),
      sourceRepositoryOwnerURI: `${url}/${claim('repository_owner')}`,
      sourceRepositoryOwnerIdentifier: claim('repository_owner_id'),
      buildConfigURI: `${url}/${claim('workflow_ref')}`,
      buildConfigDigest: claim('workflow_sha'),
      buildTrigger: claim('event_name'),
      runInvocationURI: `${repositoryUri}/actions/runs/${claim('run_id')}/attempts/${claim('run_attempt')}`,
      sourceRepositoryVisibilityAtSigning: claim('repository_visibility'),
      deploymentEnvironment: stringify(claims.environment) ?? '',
      tokenSubject: stringify(claims.sub) ?? '',
    },
  };
}
