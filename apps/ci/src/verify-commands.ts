import { typeOf } from '@sigil/encoding';
import { CiError } from './errors.js';
import type { GitlabJobIdentity } from './job-identity.js';
import { DEFAULT_CONFIG_PATH, GITLAB_COM, gitlabPolicyPreset } from './policy-preset.js';
import { shellCommand } from './shell-quote.js';

export interface VerifyCommandOptions {
  /** Default `ARTIFACT`. */
  artifact?: string;
  /** Default `<artifact>.sigstore.json`. */
  bundle?: string;
  /** Default `IMAGE`. */
  image?: string;
}

/** The command lines a consumer runs to verify what this job signs, quoted for a POSIX shell. */
export interface VerifyCommands {
  verifyBlob: string;
  verify: string;
  /** The same checks with the GitLab preset flags (plus the preset's extension checks); absent when the preset cannot express this identity. */
  verifyBlobPreset?: string;
  verifyPreset?: string;
}

type IdentityParts = Pick<GitlabJobIdentity, 'identity' | 'issuer' | 'project' | 'configPath' | 'ref'>;

export function verifyCommands(identity: IdentityParts, options: VerifyCommandOptions = {}): VerifyCommands {
  checkArguments(identity, options);
  const artifact = options.artifact ?? 'ARTIFACT';
  const bundle = options.bundle ?? `${artifact}.sigstore.json`;
  const image = options.image ?? 'IMAGE';
  const exact = ['--certificate-identity', identity.identity, '--certificate-oidc-issuer', identity.issuer];
  const preset = presetFlags(identity);
  return {
    verifyBlob: shellCommand(['sigil', 'verify-blob', artifact, '--bundle', bundle, ...exact]),
    verify: shellCommand(['sigil', 'verify', image, ...exact]),
    ...(preset
      ? {
          verifyBlobPreset: shellCommand(['sigil', 'verify-blob', artifact, '--bundle', bundle, ...preset]),
          verifyPreset: shellCommand(['sigil', 'verify', image, ...preset]),
        }
      : {}),
  };
}

function checkArguments(identity: IdentityParts, options: VerifyCommandOptions): void {
  const fields = ['identity', 'issuer', 'project', 'configPath', 'ref'] as const;
  if (typeof identity !== 'object' || identity === null || fields.some((name) => typeof identity[name] !== 'string' || identity[name] === '')) {
    throw new CiError('CI_INVALID_ARGUMENT', `verify commands: expected a job identity (${fields.join(', ')} as strings, as gitlabJobIdentity returns), found ${typeOf(identity)}`);
  }
  if (typeof options !== 'object' || options === null) throw new CiError('CI_INVALID_ARGUMENT', `verify commands: expected an options object, found ${typeOf(options)}`);
  for (const name of ['artifact', 'bundle', 'image'] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new CiError('CI_INVALID_ARGUMENT', `verify commands: ${name} must be a non-empty string, found ${typeOf(value)}`);
    }
  }
}

/** The shortest preset flags that expand to exactly this identity and issuer, if any do. */
function presetFlags(identity: IdentityParts): string[] | undefined {
  const branch = /^refs\/heads\/(.+)$/s.exec(identity.ref)?.[1];
  const tag = /^refs\/tags\/(.+)$/s.exec(identity.ref)?.[1];
  const flags = ['--gitlab-project', identity.project, ...(tag !== undefined ? ['--gitlab-tag', tag] : ['--gitlab-branch', branch ?? ''])];
  if (identity.configPath !== DEFAULT_CONFIG_PATH) flags.push('--gitlab-config-path', identity.configPath);
  if (identity.issuer !== GITLAB_COM) flags.push('--gitlab-url', identity.issuer);
  try {
    const policy = gitlabPolicyPreset({
      project: identity.project,
      ...(tag !== undefined ? { tag } : { branch: branch ?? '' }),
      configPath: identity.configPath,
      url: identity.issuer,
    });
    return policy.identity === identity.identity && policy.issuer === identity.issuer ? flags : undefined;
  } catch (err) {
    if (err instanceof CiError) return undefined;
    throw err;
  }
}
