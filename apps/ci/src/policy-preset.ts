import { typeOf } from '@sigil/encoding';
import type { IdentityOptions } from '@sigil/verify';
import { gitlabIdentity } from './config-ref-uri.js';
import { CiError } from './errors.js';
import { branchRef, checkConfigPath, checkFullRef, checkGitlabUrl, checkProjectPath, checkRefName, tagRef } from './gitlab-names.js';

export interface GitlabPresetOptions {
  /** `group/project`, subgroups allowed. */
  project: string;
  /** A full ref: `refs/heads/main`, `refs/tags/v1.2.0`. At most one of ref, branch, tag. */
  ref?: string | undefined;
  branch?: string | undefined;
  tag?: string | undefined;
  /** The CI config file that signed; default `.gitlab-ci.yml`. */
  configPath?: string | undefined;
  /** The GitLab instance; default `https://gitlab.com`. */
  url?: string | undefined;
}

export const GITLAB_COM = 'https://gitlab.com';
export const DEFAULT_CONFIG_PATH = '.gitlab-ci.yml';

/**
 * The verification policy for "signed by this GitLab project's CI config [at this ref]": the
 * exact SAN Fulcio writes, the issuer, and the Fulcio extensions that say the same thing.
 *
 * - SAN `https://<host>/<project>//<configPath>@<ref>` (for gitlab.com: `${url}/...`); without
 *   a ref, an anchored regexp that accepts any branch or tag of that project and config.
 * - Build Config URI (.1.18) = the SAN and Source Repository Ref (.1.14) = the ref, when a ref
 *   is given: Fulcio writes both from the token, whatever the instance.
 * - Source Repository URI (.1.12) = `https://gitlab.com/<project>`, for gitlab.com only: Fulcio's
 *   GitLab template fills it from a `url` that defaults to https://gitlab.com for every GitLab
 *   issuer, so on a self-managed instance it names gitlab.com (sigstore/fulcio#1325, #2445) and
 *   a private Fulcio may or may not fix that; the SAN already binds host and project.
 */
export function gitlabPolicyPreset(options: GitlabPresetOptions): IdentityOptions {
  if (typeof options !== 'object' || options === null) {
    throw new CiError('CI_INVALID_ARGUMENT', `GitLab preset: expected an options object, found ${typeOf(options)}`);
  }
  const project = checkProjectPath(options.project, 'GitLab project');
  const configPath = checkConfigPath(options.configPath ?? DEFAULT_CONFIG_PATH, 'GitLab CI config path');
  const { url, sanBase } = checkGitlabUrl(options.url ?? GITLAB_COM, 'GitLab URL');
  const ref = presetRef(options);
  const extensions: Record<string, string> = {};
  if (url === GITLAB_COM) extensions.sourceRepositoryURI = `${GITLAB_COM}/${project}`;

  if (ref === undefined) {
    const prefix = gitlabIdentity(sanBase, project, configPath, 'refs/');
    return { identityRegexp: `^${escapeRegExp(prefix)}(?:heads|tags)\\/[^\\s]+$`, issuer: url, extensions };
  }
  const identity = gitlabIdentity(sanBase, project, configPath, ref);
  return { identity, issuer: url, extensions: { ...extensions, sourceRepositoryRef: ref, buildConfigURI: identity } };
}

function presetRef(options: GitlabPresetOptions): string | undefined {
  const given = (['ref', 'branch', 'tag'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 1) {
    throw new CiError('CI_REF_CONFLICT', `GitLab preset: expected at most one of ref, branch and tag, found ${given.join(' and ')}`, {
      details: { given },
      hint: 'Name the ref once: a full ref (refs/heads/main), or a branch, or a tag.',
    });
  }
  if (options.ref !== undefined) return checkFullRef(options.ref, 'GitLab ref');
  if (options.branch !== undefined) return branchRef(checkRefName(options.branch, 'GitLab branch'));
  if (options.tag !== undefined) return tagRef(checkRefName(options.tag, 'GitLab tag'));
  return undefined;
}

/** Escapes every syntax character of a `u`-flag RegExp (which refuses any other escape, `\-` included). */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
