import { isPrintable } from '@sigil/errors';
import { decodeToken, OidcError, SIGSTORE_ID_TOKEN, type Claims } from '@sigil/oidc';
import { gitlabIdentity, projectOfLocation, splitConfigRefUri } from './config-ref-uri.js';
import { checkEnvironment, type Environment, requireVariables, variable } from './environment.js';
import { CiError } from './errors.js';
import { checkConfigPath, checkGitlabUrl, checkProjectPath, show } from './gitlab-names.js';
import { jobRef, REF_VARIABLES } from './job-ref.js';

/** Who this job's signatures will name, and where that came from. */
export interface GitlabJobIdentity {
  /** The certificate's SAN: `https://` + ci_config_ref_uri. What `--certificate-identity` must say. */
  identity: string;
  /** The certificate's issuer (.1.8): the token's `iss`, else CI_SERVER_URL. What `--certificate-oidc-issuer` must say. */
  issuer: string;
  /** The ci_config_ref_uri claim (no scheme): `gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main`. */
  configUri: string;
  /** CI_SERVER_URL, without a trailing slash. */
  serverUrl: string;
  /** The project whose CI config the identity names. */
  project: string;
  configPath: string;
  /** `refs/heads/<branch>` or `refs/tags/<tag>`. */
  ref: string;
  /**
   * `token` when SIGSTORE_ID_TOKEN's own claims gave the identity (they are what Fulcio uses),
   * `variables` when they were worked out from the job's variables (no token, or a token
   * without ci_config_ref_uri, which Fulcio refuses: run the pre-flight).
   */
  source: 'token' | 'variables';
}

/**
 * The identity and issuer this GitLab job's keyless signatures will carry. From the job's
 * predefined variables, with the ID token's `ci_config_ref_uri` and `iss` winning when
 * SIGSTORE_ID_TOKEN is set. The token is decoded, never verified, printed or kept.
 */
export function gitlabJobIdentity(env: Environment): GitlabJobIdentity {
  checkEnvironment(env);
  requireVariables(env, ['CI_SERVER_URL', 'CI_PROJECT_PATH', REF_VARIABLES]);
  const server = checkGitlabUrl(variable(env, 'CI_SERVER_URL'), 'CI_SERVER_URL');
  const jobProject = checkProjectPath(variable(env, 'CI_PROJECT_PATH'), 'CI_PROJECT_PATH');
  const ref = jobRef(env)!;
  const token = variable(env, SIGSTORE_ID_TOKEN)?.trim();
  const claims = token ? tokenClaims(token) : undefined;
  const issuer = claims ? printableClaim(claims, 'iss') ?? invalidClaim('iss', claims.iss) : server.url;

  const claimed = claims?.ci_config_ref_uri;
  if (claims && claimed !== undefined && claimed !== null && claimed !== '') {
    if (typeof claimed !== 'string' || !isPrintable(claimed)) invalidClaim('ci_config_ref_uri', claimed);
    const parts = splitConfigRefUri(claimed) ?? invalidClaim('ci_config_ref_uri', claimed);
    return {
      identity: `https://${claimed}`,
      issuer,
      configUri: claimed,
      serverUrl: server.url,
      project: projectOfLocation(parts.location, server.sanBase.slice('https://'.length), jobProject),
      configPath: parts.configPath,
      ref: parts.ref,
      source: 'token',
    };
  }

  // GitLab's default: an unset CI_CONFIG_PATH means the project's .gitlab-ci.yml.
  const configPath = checkConfigPath(variable(env, 'CI_CONFIG_PATH') ?? '.gitlab-ci.yml', 'CI_CONFIG_PATH');
  const identity = gitlabIdentity(server.sanBase, jobProject, configPath, ref);
  return {
    identity,
    issuer,
    configUri: identity.slice('https://'.length),
    serverUrl: server.url,
    project: jobProject,
    configPath,
    ref,
    source: 'variables',
  };
}

function tokenClaims(token: string): Claims {
  try {
    return decodeToken(token).claims;
  } catch (err) {
    if (!(err instanceof OidcError)) throw err;
    throw new CiError('CI_TOKEN_MALFORMED', `${SIGSTORE_ID_TOKEN}: ${err.message}`, { cause: err, hint: err.hint });
  }
}

/** A string claim without control or format characters: it is printed, and GitLab writes none. */
function printableClaim(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' && isPrintable(value) ? value : undefined;
}

export function invalidClaim(name: string, value: unknown): never {
  const found = typeof value === 'string' ? show(value) : value === undefined ? 'nothing' : typeof value;
  throw new CiError('CI_TOKEN_CLAIM_INVALID', `${SIGSTORE_ID_TOKEN}: the ${name} claim is not what GitLab writes, found ${found}`, {
    details: { claim: name },
    hint:
      name === 'iss'
        ? 'The token must come from GitLab (its iss is the instance URL): declare it with id_tokens in the job.'
        : 'GitLab writes ci_config_ref_uri as host/project//config-path@refs/heads/<branch> (or refs/tags/<tag>).',
  });
}
