import { existsSync } from 'node:fs';
import { chainTokenSources, envTokenSource, fileTokenSource, githubActionsTokenSource, OidcError, staticTokenSource, type Environment, type TokenSource } from '@sigil/oidc';
import { usageError } from '../cli-error.js';

/** cosign's filesystem provider reads the token here (pkg/providers/filesystem). */
export const FILESYSTEM_TOKEN_PATH = '/var/run/sigstore/cosign/oidc-token';

export interface IdentityTokenFlags {
  'identity-token'?: string | undefined;
  'oidc-provider'?: string | undefined;
  'oidc-disable-ambient-providers'?: boolean | undefined;
}

// Ambient providers cosign has and sigil does not: their agents or metadata services.
const UNSUPPORTED_PROVIDERS = [
  ['BUILDKITE_AGENT_ACCESS_TOKEN', 'buildkite-agent'],
  ['SPIFFE_ENDPOINT_SOCKET', 'spiffe'],
  ['GOOGLE_SERVICE_ACCOUNT_NAME', 'google'],
] as const;

// A compact JWS: three base64url parts, the first a JSON header.
const JWT = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Where the identity token comes from, as cosign's RetrieveIDToken looks: --identity-token
 * (a token, or a path to a file holding one; `@FILE` too), then, unless
 * --oidc-disable-ambient-providers, the ambient providers in cosign's order (GitHub Actions,
 * SIGSTORE_ID_TOKEN, the filesystem token), or only the one --oidc-provider names.
 * cosign's interactive flows (browser, device code) come last there; sigil has none and says so.
 */
export function identityTokenSource(flags: IdentityTokenFlags, env: Environment = process.env, tokenPath = FILESYSTEM_TOKEN_PATH): TokenSource {
  const given = flags['identity-token'];
  const sources: TokenSource[] = [];
  if (given !== undefined && given.trim() !== '') sources.push(givenToken(given.trim()));
  if (!flags['oidc-disable-ambient-providers']) {
    const ambient: Record<string, TokenSource> = {
      'github-actions': githubActionsTokenSource({ env }),
      envvar: envTokenSource('SIGSTORE_ID_TOKEN', env),
      filesystem: filesystemTokenSource(tokenPath),
    };
    const provider = flags['oidc-provider'];
    if (provider !== undefined && provider !== '') {
      const chosen = ambient[provider];
      if (!chosen) throw usageError(`--oidc-provider ${provider}: expected github-actions, envvar or filesystem`);
      sources.push(chosen);
    } else sources.push(...Object.values(ambient));
  }
  const chain = chainTokenSources(sources);
  return {
    description: chain.description,
    async getToken() {
      try {
        return await chain.getToken();
      } catch (err) {
        if (err instanceof OidcError && err.code === 'OIDC_TOKEN_MISSING') {
          const unsupported = UNSUPPORTED_PROVIDERS.filter(([variable]) => (env[variable] ?? '') !== '').map(([variable, provider]) => `${variable} is set, but cosign's ${provider} provider is not supported`);
          throw new OidcError('OIDC_TOKEN_MISSING', `${[err.message, ...unsupported].join('; ')}; cosign would now start an interactive login (browser or device code), which sigil does not do`, {
            hint: 'in GitLab CI add id_tokens: { SIGSTORE_ID_TOKEN: { aud: sigstore } } to the job; in GitHub Actions grant permissions: id-token: write; elsewhere pass --identity-token TOKEN|FILE',
          });
        }
        throw err;
      }
    },
  };
}

/** The flag's value: a token as it is, else a file holding one (cosign reads any non-token as a path). */
function givenToken(value: string): TokenSource {
  if (value.startsWith('@')) return fileTokenSource(value.slice(1), 'the file named by --identity-token');
  if (JWT.test(value)) return staticTokenSource(value, '--identity-token');
  if (existsSync(value)) return fileTokenSource(value, 'the file named by --identity-token');
  // Neither: say so without echoing what may be a mangled secret.
  throw usageError(`--identity-token: expected an identity token (a JWT: header.payload.signature) or the path of a file holding one; found neither (${value.length} characters, no such file)`);
}

function filesystemTokenSource(path: string): TokenSource {
  const source = fileTokenSource(path, `the token file ${path}`);
  return {
    description: source.description!,
    async getToken() {
      if (!existsSync(path)) throw new OidcError('OIDC_TOKEN_MISSING', `no identity token: ${path} does not exist`);
      return source.getToken();
    },
  };
}
