import { CiError, gitlabPolicyPreset } from '@sigil/ci';
import { importPublicKeyPem, type PublicKey } from '@sigil/crypto';
import { findFulcioExtension } from '@sigil/x509';
import { PolicyError, certificateIdentity, type VerificationPolicy } from '@sigil/verify';
import { usageError } from '../cli-error.js';
import { readTextFileLimited } from '../files.js';

export interface PolicyFlags {
  'certificate-identity'?: string | undefined;
  'certificate-identity-regexp'?: string | undefined;
  'certificate-oidc-issuer'?: string | undefined;
  'certificate-oidc-issuer-regexp'?: string | undefined;
  'certificate-extension'?: string[] | undefined;
  'certificate-github-workflow-trigger'?: string | undefined;
  'certificate-github-workflow-sha'?: string | undefined;
  'certificate-github-workflow-name'?: string | undefined;
  'certificate-github-workflow-repository'?: string | undefined;
  'certificate-github-workflow-ref'?: string | undefined;
  'unsafe-unanchored-regexp'?: boolean | undefined;
  key?: string | undefined;
  'gitlab-project'?: string | undefined;
  'gitlab-ref'?: string | undefined;
  'gitlab-branch'?: string | undefined;
  'gitlab-tag'?: string | undefined;
  'gitlab-config-path'?: string | undefined;
  'gitlab-url'?: string | undefined;
}

const GITLAB_FLAGS = ['gitlab-project', 'gitlab-ref', 'gitlab-branch', 'gitlab-tag', 'gitlab-config-path', 'gitlab-url'] as const;

// cosign's --certificate-github-workflow-* flags pin Fulcio's (deprecated) GitHub extensions 1.3.6.1.4.1.57264.1.2-6.
const GITHUB_WORKFLOW_FLAGS = {
  'certificate-github-workflow-trigger': 'githubWorkflowTrigger',
  'certificate-github-workflow-sha': 'githubWorkflowSHA',
  'certificate-github-workflow-name': 'githubWorkflowName',
  'certificate-github-workflow-repository': 'githubWorkflowRepository',
  'certificate-github-workflow-ref': 'githubWorkflowRef',
} as const;

/** Whether the flags name a signer at all (an identity, an issuer, a GitLab preset or a key). */
export function namesSigner(flags: PolicyFlags): boolean {
  // Any policy flag counts: an extension pinned alone must not fall back to "any signer".
  const named = (['certificate-identity', 'certificate-identity-regexp', 'certificate-oidc-issuer', 'certificate-oidc-issuer-regexp', 'key', 'unsafe-unanchored-regexp', ...GITLAB_FLAGS, ...(Object.keys(GITHUB_WORKFLOW_FLAGS) as (keyof typeof GITHUB_WORKFLOW_FLAGS)[])] as const).some(
    (name) => flags[name] !== undefined,
  );
  return named || (flags['certificate-extension'] ?? []).length > 0;
}

/**
 * cosign's identity flags, or --key, turned into a verification policy. `loadedKey` is --key
 * already resolved (env://, gitlab://, a URL: loadVerificationKey); without it --key is a file.
 */
export function policyFromFlags(flags: PolicyFlags, loadedKey?: PublicKey): VerificationPolicy {
  const identityGiven = ['certificate-identity', 'certificate-identity-regexp', 'certificate-oidc-issuer', 'certificate-oidc-issuer-regexp'].some(
    (name) => flags[name as keyof PolicyFlags] !== undefined,
  );
  const presetGiven = GITLAB_FLAGS.some((name) => flags[name] !== undefined);
  if (presetGiven) {
    if (identityGiven || flags.key !== undefined) throw usageError('--gitlab-project and its flags replace --certificate-identity, --certificate-oidc-issuer and --key: give one or the other');
    return { identities: [gitlabIdentity(flags)] };
  }
  if (flags.key !== undefined) {
    if (identityGiven) throw usageError('--key cannot be combined with --certificate-identity or --certificate-oidc-issuer flags');
    return { publicKey: loadedKey ?? importPublicKeyPem(readTextFileLimited(flags.key, 'public key', 1024 * 1024), `public key ${flags.key}`) };
  }
  if (flags['certificate-identity'] === undefined && flags['certificate-identity-regexp'] === undefined) {
    throw usageError(
      'expected --certificate-identity (or --certificate-identity-regexp): keyless verification must name who signed',
      'for GitLab: --certificate-identity "https://gitlab.com/GROUP/PROJECT//.gitlab-ci.yml@refs/heads/main"',
    );
  }
  if (flags['certificate-oidc-issuer'] === undefined && flags['certificate-oidc-issuer-regexp'] === undefined) {
    throw usageError('expected --certificate-oidc-issuer (or --certificate-oidc-issuer-regexp)', 'for GitLab.com: --certificate-oidc-issuer https://gitlab.com');
  }
  try {
    return { identities: [identityFromFlags(flags)] };
  } catch (err) {
    // A pattern or extension name the policy refuses is a mistake in the command line.
    if (err instanceof PolicyError) throw usageError(`${err.code}: ${err.message}`, err.hint);
    throw err;
  }
}

/** --gitlab-project GROUP/PROJECT [--gitlab-ref|--gitlab-branch|--gitlab-tag] [--gitlab-config-path] [--gitlab-url]. */
function gitlabIdentity(flags: PolicyFlags) {
  if (flags['gitlab-project'] === undefined) throw usageError('expected --gitlab-project GROUP/PROJECT with the other --gitlab-* flags');
  try {
    const preset = gitlabPolicyPreset({
      project: flags['gitlab-project'],
      ...(flags['gitlab-ref'] !== undefined ? { ref: flags['gitlab-ref'] } : {}),
      ...(flags['gitlab-branch'] !== undefined ? { branch: flags['gitlab-branch'] } : {}),
      ...(flags['gitlab-tag'] !== undefined ? { tag: flags['gitlab-tag'] } : {}),
      ...(flags['gitlab-config-path'] !== undefined ? { configPath: flags['gitlab-config-path'] } : {}),
      ...(flags['gitlab-url'] !== undefined ? { url: flags['gitlab-url'] } : {}),
    });
    // Extra --certificate-extension pins narrow the preset further; they may not loosen it.
    const extra = extensionsFromFlags(flags);
    for (const [name, value] of Object.entries(extra)) {
      const canonical = findFulcioExtension(name)?.name;
      const pinned = Object.entries(preset.extensions ?? {}).find(([presetName]) => findFulcioExtension(presetName)?.name === canonical);
      if (pinned && pinned[1] !== value) {
        throw usageError(`--certificate-extension ${name}=${value} contradicts the GitLab preset, which pins ${pinned[0]}=${pinned[1]}`);
      }
    }
    return certificateIdentity({ ...preset, extensions: { ...preset.extensions, ...extra } });
  } catch (err) {
    if (err instanceof CiError || err instanceof PolicyError) throw usageError(`${err.code}: ${err.message}`, err.hint);
    throw err;
  }
}

function identityFromFlags(flags: PolicyFlags) {
  return certificateIdentity({
    identity: flags['certificate-identity'],
    identityRegexp: flags['certificate-identity-regexp'],
    issuer: flags['certificate-oidc-issuer'],
    issuerRegexp: flags['certificate-oidc-issuer-regexp'],
    extensions: extensionsFromFlags(flags),
    // The flag (SIGIL_UNSAFE_UNANCHORED_REGEXP through the binding), or the variable for a whole migration.
    allowUnanchoredUnsafe: flags['unsafe-unanchored-regexp'] === true || process.env.SIGIL_UNSAFE_UNANCHORED_REGEXP === 'true',
  });
}

/** --certificate-extension NAME=VALUE pairs and the --certificate-github-workflow-* flags, each extension once. */
function extensionsFromFlags(flags: PolicyFlags): Record<string, string> {
  const pairs = parseExtensionFlags(flags['certificate-extension'] ?? []);
  for (const [flag, name] of Object.entries(GITHUB_WORKFLOW_FLAGS)) {
    const value = flags[flag as keyof typeof GITHUB_WORKFLOW_FLAGS];
    if (value === undefined || value === '') continue;
    const clash = Object.keys(pairs).find((given) => findFulcioExtension(given)?.name === name);
    if (clash !== undefined && pairs[clash] !== value) throw usageError(`--${flag} ${value} contradicts --certificate-extension ${clash}=${pairs[clash]}`);
    if (clash === undefined) pairs[name] = value;
  }
  return pairs;
}

function parseExtensionFlags(values: string[]): Record<string, string> {
  const entries = values.map((value): [string, string] => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw usageError(`--certificate-extension ${JSON.stringify(value)}: expected NAME=VALUE, e.g. "Source Repository Ref=refs/heads/main"`);
    return [value.slice(0, eq).trim(), value.slice(eq + 1)];
  });
  return uniqueEntries(entries, '--certificate-extension');
}

/** Flag pairs as an object: own properties only (even `__proto__`), each name once. */
export function uniqueEntries(entries: [string, string][], flag: string): Record<string, string> {
  const seen = new Set<string>();
  for (const [name] of entries) {
    if (seen.has(name)) throw usageError(`${flag} ${name}: given twice`);
    seen.add(name);
  }
  return Object.fromEntries(entries);
}
