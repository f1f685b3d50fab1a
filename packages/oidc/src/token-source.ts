import { missingToken, OidcError } from './errors.js';
import { githubActionsTokenSource, type GitHubActionsOptions } from './github-actions.js';
import { fileTokenSource } from './token-file.js';

/** Somewhere an identity token comes from. */
export interface TokenSource {
  /** Where the token comes from, for messages: "the SIGSTORE_ID_TOKEN environment variable". */
  readonly description?: string;
  /**
   * The token, trimmed. Throws OidcError OIDC_TOKEN_MISSING when this source has none
   * (a chain then tries the next), and other codes when it has one that cannot be read.
   */
  getToken(): Promise<string>;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The variable GitLab's `id_tokens` (and cosign, and sigstore-js) use. */
export const SIGSTORE_ID_TOKEN = 'SIGSTORE_ID_TOKEN';

/** A token given as a value. */
export function staticTokenSource(token: string, description = 'the given token'): TokenSource {
  return {
    description,
    async getToken() {
      const trimmed = typeof token === 'string' ? token.trim() : '';
      if (trimmed === '') throw missingToken(`${description} is empty`);
      return trimmed;
    },
  };
}

/** The `--identity-token` flag: the token itself, or `@path` to read it from a file. Absent or empty means no token. */
export function flagTokenSource(value: string | undefined, flag = '--identity-token'): TokenSource {
  if (typeof value === 'string' && value.startsWith('@')) return fileTokenSource(value.slice(1), `the file named by ${flag}`);
  if (value === undefined || value.trim() === '') {
    return { description: flag, getToken: () => Promise.reject(missingToken(`${flag} was not given`)) };
  }
  return staticTokenSource(value, flag);
}

/** An environment variable, `SIGSTORE_ID_TOKEN` unless named, read when the token is asked for. */
export function envTokenSource(name = SIGSTORE_ID_TOKEN, env: Environment = process.env): TokenSource {
  const description = `the ${name} environment variable`;
  return {
    description,
    async getToken() {
      const value = env[name]?.trim();
      if (!value) throw missingToken(`${description} is ${env[name] === undefined ? 'not set' : 'empty'}`);
      return value;
    },
  };
}

/** Tries each source in order; the first that has a token wins. A source that has one but fails to read it stops the chain. */
export function chainTokenSources(sources: readonly TokenSource[]): TokenSource {
  return {
    description: sources.map((s) => s.description ?? 'a token source').join(', then '),
    async getToken() {
      const reasons: string[] = [];
      for (const source of sources) {
        try {
          return await source.getToken();
        } catch (err) {
          if (!(err instanceof OidcError && err.code === 'OIDC_TOKEN_MISSING')) throw err;
          reasons.push(err.message.replace(/^no identity token: /, ''));
        }
      }
      throw missingToken(reasons.length > 0 ? reasons.join('; ') : 'no token source was given');
    },
  };
}

export interface DefaultTokenSourceOptions {
  /** The `--identity-token` value, if any. */
  flag?: string;
  env?: Environment;
  /** Options for GitHub Actions' token request, or false to never ask GitHub. */
  githubActions?: Omit<GitHubActionsOptions, 'env'> | false;
}

/** What `sign-blob` uses: the flag, then SIGSTORE_ID_TOKEN, then GitHub Actions' token request. */
export function defaultTokenSource(options: DefaultTokenSourceOptions = {}): TokenSource {
  const env = options.env ?? process.env;
  const sources = [flagTokenSource(options.flag), envTokenSource(SIGSTORE_ID_TOKEN, env)];
  if (options.githubActions !== false) sources.push(githubActionsTokenSource({ ...options.githubActions, env }));
  return chainTokenSources(sources);
}
