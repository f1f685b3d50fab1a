/** A repository URL and, when the URI names one, the ref: `git+https://host/group/project@refs/heads/main`. */
export interface SourceLocation {
  repository: string;
  ref?: string;
}

/**
 * Reads an SPDX-style VCS location (`git+<url>[@<ref>]`, the form SLSA, npm and Sigil write).
 * With `plain`, an `http(s)` URL without `git+` (GitLab's own form) is a repository too.
 * Anything else is undefined: a location that cannot be read is not guessed at.
 */
export function parseSourceUri(uri: string | undefined, options: { plain?: boolean } = {}): SourceLocation | undefined {
  if (uri === undefined) return undefined;
  if (!uri.startsWith('git+')) return options.plain && isHttpUrl(uri) ? { repository: uri } : undefined;
  const rest = uri.slice('git+'.length);
  // The ref starts at the first '@' after the host, so user@host authorities stay whole.
  const pathStart = rest.indexOf('/', rest.indexOf('://') + 3);
  const at = pathStart < 0 ? -1 : rest.indexOf('@', pathStart);
  const repository = at < 0 ? rest : rest.slice(0, at);
  const ref = at < 0 ? undefined : rest.slice(at + 1);
  if (!isHttpUrl(repository) || ref === '') return undefined;
  return ref === undefined ? { repository } : { repository, ref };
}

function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\/[^/]/.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}
