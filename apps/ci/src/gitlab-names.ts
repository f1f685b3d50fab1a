// What GitLab and git accept as project paths, refs, CI config paths and instance URLs. Every
// value here ends up in a certificate identity, so anything GitLab could not produce is refused
// rather than guessed at.
import { typeOf } from '@sigil/encoding';
import { isPrintable, printable } from '@sigil/errors';
import { CiError } from './errors.js';

// Gitlab::PathRegex: a segment starts with a letter, digit, '_' or '.', continues with those
// or '-', and does not end in .git or .atom. Groups nest at most 20 deep, under the project.
const PATH_SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}$/;
const MAX_SEGMENTS = 21;

/** A `group[/subgroup...]/project` path, as GitLab writes `project_path` and CI_PROJECT_PATH. */
export function checkProjectPath(value: unknown, what: string): string {
  return checkPath(value, what, 2);
}

/** A project or group path: `group`, `group/subgroup` or `group/project`. */
export function checkNamespacePath(value: unknown, what: string): string {
  return checkPath(value, what, 1);
}

function checkPath(value: unknown, what: string, minSegments: number): string {
  const text = requireText(value, what, 'CI_PROJECT_INVALID');
  const segments = text.split('/');
  const bad = segments.find((s) => !PATH_SEGMENT.test(s) || s === '.' || s === '..' || /\.(git|atom)$/.test(s));
  if (segments.length < minSegments || segments.length > MAX_SEGMENTS || bad !== undefined) {
    throw new CiError('CI_PROJECT_INVALID', `${what}: expected a GitLab project path "group/project" (subgroups allowed), found ${show(text)}`, {
      details: { found: text },
      hint: 'Give the path as it appears in the project URL, without the host or .git: my-group/my-project or my-group/sub/my-project.',
    });
  }
  return text;
}

// git check-ref-format, for the part after refs/heads/ or refs/tags/.
const REF_FORBIDDEN = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|\/\.|^\.|^\/|\/$|\.$|\.lock(\/|$)|^@$/;

/** A branch or tag name (the short form, as CI_COMMIT_BRANCH or CI_COMMIT_TAG give it). */
export function checkRefName(value: unknown, what: string): string {
  const text = requireText(value, what, 'CI_REF_INVALID');
  if (text.length > 1024 || REF_FORBIDDEN.test(text) || !isPrintable(text)) {
    throw new CiError('CI_REF_INVALID', `${what}: expected a git branch or tag name, found ${show(text)}`, {
      details: { found: text },
      hint: 'Branch and tag names cannot hold spaces, control or bidi characters, ~ ^ : ? * [ \\, "..", "@{", an empty or dot-led component, or end in "/", "." or ".lock".',
    });
  }
  return text;
}

/** A full ref, `refs/heads/<branch>` or `refs/tags/<tag>`: what the certificate's SAN ends with. */
export function checkFullRef(value: unknown, what: string): string {
  const text = requireText(value, what, 'CI_REF_INVALID');
  const match = /^refs\/(heads|tags)\/(.+)$/s.exec(text);
  if (!match) {
    throw new CiError('CI_REF_INVALID', `${what}: expected a full ref, refs/heads/<branch> or refs/tags/<tag>, found ${show(text)}`, {
      details: { found: text },
      hint: 'Write the ref in full (refs/heads/main, refs/tags/v1.2.0), or name a branch or a tag on its own with the branch or tag option.',
    });
  }
  checkRefName(match[2], what);
  return text;
}

export function branchRef(branch: string): string {
  return `refs/heads/${branch}`;
}

export function tagRef(tag: string): string {
  return `refs/tags/${tag}`;
}

/**
 * The CI config file's path in the project's repository (CI_CONFIG_PATH, project setting
 * "CI/CD configuration file"). GitLab refuses ".." and a leading "/"; a path with "@" names
 * another project's file and one with "://" a remote URL: neither can carry a signing identity.
 */
export function checkConfigPath(value: unknown, what: string): string {
  const text = requireText(value, what, 'CI_CONFIG_PATH_INVALID');
  if (text.length > 255 || !isPrintable(text) || /\.\.|^\/|\/\/|@|:\/\//.test(text)) {
    throw new CiError('CI_CONFIG_PATH_INVALID', `${what}: expected the path of a CI config file in the project's repository, such as .gitlab-ci.yml or ci/release.yml, found ${show(text)}`, {
      details: { found: text },
      hint: 'Only a CI config file in the project itself can sign (GitLab issue 411317): not path@other-group/other-project, not a URL.',
    });
  }
  return text;
}

export interface GitlabUrl {
  /** The instance URL without a trailing slash: the token's `iss` and the certificate's issuer. */
  url: string;
  /** What the certificate's SAN starts with: `https://` and the URL's host, port and path. */
  sanBase: string;
}

/**
 * A GitLab instance URL: https, or plain http to a loopback host (a test instance). A path
 * is kept (GitLab under a relative URL root). The SAN always says https: Fulcio writes
 * `https://` + ci_config_ref_uri, and GitLab writes that claim without a scheme.
 */
export function checkGitlabUrl(value: unknown, what: string): GitlabUrl {
  const text = requireText(value, what, 'CI_URL_INVALID');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidUrl(what, text, 'not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw invalidUrl(what, text, url.protocol === 'http:' ? 'plain http to a host that is not loopback' : `the scheme ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') throw invalidUrl(what, '(a URL with credentials)', 'credentials in the URL');
  if (url.search !== '' || url.hash !== '') throw invalidUrl(what, text, 'a query or fragment');
  const path = url.pathname.replace(/\/+$/, '');
  return { url: `${url.protocol}//${url.host}${path}`, sanBase: `https://${url.host}${path}` };
}

function invalidUrl(what: string, text: string, reason: string): CiError {
  return new CiError('CI_URL_INVALID', `${what}: expected the GitLab instance URL (https://gitlab.com, https://gitlab.example.com), found ${show(text)}: ${reason}`, {
    details: { reason },
    hint: 'Use the https URL of the GitLab instance, as CI_SERVER_URL gives it; plain http only for a test instance on 127.0.0.1, ::1 or localhost.',
  });
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function requireText(value: unknown, what: string, code: 'CI_PROJECT_INVALID' | 'CI_REF_INVALID' | 'CI_CONFIG_PATH_INVALID' | 'CI_URL_INVALID'): string {
  if (typeof value !== 'string' || value === '') {
    throw new CiError(code, `${what}: expected a non-empty string, found ${typeof value === 'string' ? 'an empty string' : typeOf(value)}`);
  }
  return value;
}

/**
 * CI_CONFIG_PATH as it is, when it may name another project or a URL (the pre-flight reports
 * those): it is quoted in messages and pasted into suggested YAML, so no control, bidi or
 * other format character (a newline would add YAML lines of its own).
 */
export function checkPrintableConfigPath(value: string, what: string): string {
  if (!isPrintable(value)) {
    throw new CiError('CI_CONFIG_PATH_INVALID', `${what}: expected a path or URL without control or format characters, found ${show(value)}`, {
      details: { found: value },
      hint: 'GitLab writes CI_CONFIG_PATH from the project setting "CI/CD configuration file": set it to the path of a file such as .gitlab-ci.yml.',
    });
  }
  return value;
}

/** A value for a message: JSON, cut short, with no control or format character left raw. */
export function show(value: string): string {
  const text = printable(JSON.stringify(value));
  return text.length > 200 ? `${text.slice(0, 200)}..."` : text;
}
