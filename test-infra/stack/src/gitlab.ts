import { randomBytes } from 'node:crypto';
import { encodeHex, typeOf } from '@sigil/encoding';
import { checkString, invalid } from './checks.js';
import { StackError } from './errors.js';
import type { FulcioExtensionValues } from './extensions.js';

/** A GitLab CI ID token's payload. GitLab writes ids as strings; only `runner_id` is a number. */
export type GitlabClaims = Record<string, unknown> & { iss: string; sub?: string };

/** What Fulcio makes of a token: the SAN, the issuer and the other Sigstore extensions. */
export interface FulcioIdentity {
  san: { type: 'uri' | 'email'; value: string };
  issuer: string;
  extensions: FulcioExtensionValues;
}

export interface GitlabMappingOptions {
  /**
   * The template's `{url}`. Fulcio's GitLab template defaults it to `https://gitlab.com` for
   * every GitLab issuer, self-managed ones included, so their `.1.12`/`.1.16`/`.1.21` say
   * gitlab.com even when `iss` names another host; the SAN and `.1.9`/`.1.18` come from
   * `ci_config_ref_uri` and so name the right host. A token claim named `url` wins over this,
   * as in Fulcio (claims override template defaults). Pass the token's `iss` to model a
   * Fulcio configured with its own default.
   */
  url?: string;
}

/**
 * Fulcio's `gitlab-pipeline` mapping (config/identity/config.yaml): SAN
 * `https://{ci_config_ref_uri}`, issuer from `iss`, `.1.24` from `sub`, the rest from the
 * template. A missing claim the template reads fails as in Fulcio (STACK_CLAIM_MISSING);
 * `environment` is optional and empty values are left out of the certificate.
 */
export function gitlabClaimsToFulcio(claims: GitlabClaims, options: GitlabMappingOptions = {}): FulcioIdentity {
  if (typeof claims !== 'object' || claims === null) invalid(`GitLab claims: expected an object, found ${typeOf(claims)}`);
  const claim = requiredClaims(claims, 'GitLab');
  const url = stringify(claims.url) ?? checkString(options.url ?? 'https://gitlab.com', 'GitLab url');
  const configUri = `https://${claim('ci_config_ref_uri')}`;
  const projectUri = `${url}/${claim('project_path')}`;
  return {
    san: { type: 'uri', value: configUri },
    issuer: claim('iss'),
    extensions: {
      buildSignerURI: configUri,
      buildSignerDigest: claim('ci_config_sha'),
      runnerEnvironment: claim('runner_environment'),
      sourceRepositoryURI: projectUri,
      sourceRepositoryDigest: claim('sha'),
      sourceRepositoryRef: `refs/${claim('ref_type') === 'branch' ? 'heads' : 'tags'}/${claim('ref')}`,
      sourceRepositoryIdentifier: claim('project_id'),
      sourceRepositoryOwnerURI: `${url}/${claim('namespace_path')}`,
      sourceRepositoryOwnerIdentifier: claim('namespace_id'),
      buildConfigURI: configUri,
      buildConfigDigest: claim('ci_config_sha'),
      buildTrigger: claim('pipeline_source'),
      runInvocationURI: `${projectUri}/-/jobs/${claim('job_id')}`,
      sourceRepositoryVisibilityAtSigning: claim('project_visibility'),
      deploymentEnvironment: stringify(claims.environment) ?? '',
      tokenSubject: stringify(claims.sub) ?? '',
    },
  };
}

/** A reader of the claims a Fulcio template needs: an absent or non-scalar one is STACK_CLAIM_MISSING. */
export function requiredClaims(claims: Record<string, unknown>, provider: string): (key: string) => string {
  return (key) => {
    const value = stringify(claims[key]);
    if (value === undefined) {
      throw new StackError('STACK_CLAIM_MISSING', `${provider} claims: expected a "${key}" claim (string, number or boolean), found ${typeOf(claims[key])}`, {
        details: { claim: key },
      });
    }
    return value;
  };
}

/** Go's fmt of a JSON scalar, as Fulcio stringifies claims: whole numbers without exponent. */
export function stringify(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  return undefined;
}

export interface GitlabClaimsOptions {
  /** `group/project` or `group/sub/project`. Default `my-group/my-project`. */
  project?: string;
  /** Short ref name. Default `main`. */
  ref?: string;
  refType?: 'branch' | 'tag';
  /** Default `gitlab.com`. */
  host?: string;
  /** Default `https://{host}`. */
  issuer?: string;
  configPath?: string;
  pipelineSource?: string;
  runnerEnvironment?: 'gitlab-hosted' | 'self-hosted';
  visibility?: 'public' | 'internal' | 'private';
  environment?: string;
  /** 40 hex; default random. */
  sha?: string;
  projectId?: string;
  namespaceId?: string;
  jobId?: string;
  pipelineId?: string;
  audience?: string | string[];
  /** Token issue time; default now. */
  issuedAt?: Date;
}

/** Claims shaped like a real GitLab CI ID token (docs.gitlab.com id_token_authentication). */
export function defaultGitlabClaims(options: GitlabClaimsOptions = {}): GitlabClaims {
  const host = options.host ?? 'gitlab.com';
  const project = options.project ?? 'my-group/my-project';
  const namespace = project.includes('/') ? project.slice(0, project.lastIndexOf('/')) : invalid(`GitLab project: expected "group/project", found "${project}"`);
  const ref = options.ref ?? 'main';
  const refType = options.refType ?? 'branch';
  const refPath = `refs/${refType === 'branch' ? 'heads' : 'tags'}/${ref}`;
  const sha = options.sha ?? encodeHex(randomBytes(20));
  const iat = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
  const jobId = options.jobId ?? '302';
  return {
    namespace_id: options.namespaceId ?? '72',
    namespace_path: namespace,
    project_id: options.projectId ?? '20',
    project_path: project,
    user_id: '5',
    user_login: 'sigil-ci',
    user_email: 'sigil-ci@example.com',
    user_access_level: 'maintainer',
    pipeline_id: options.pipelineId ?? '574',
    pipeline_source: options.pipelineSource ?? 'push',
    job_id: jobId,
    ref,
    ref_type: refType,
    ref_path: refPath,
    ref_protected: 'true',
    ...(options.environment === undefined ? {} : { environment: options.environment, environment_protected: 'false', deployment_tier: 'production', environment_action: 'start' }),
    runner_id: 1,
    runner_environment: options.runnerEnvironment ?? 'gitlab-hosted',
    sha,
    project_visibility: options.visibility ?? 'public',
    ci_config_ref_uri: `${host}/${project}//${options.configPath ?? '.gitlab-ci.yml'}@${refPath}`,
    ci_config_sha: sha,
    jti: encodeHex(randomBytes(16)),
    iss: options.issuer ?? `https://${host}`,
    iat,
    nbf: iat - 5,
    exp: iat + 300,
    sub: `project_path:${project}:ref_type:${refType}:ref:${ref}`,
    aud: options.audience ?? 'sigstore',
  };
}
