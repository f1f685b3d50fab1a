import { createCredentialResolver, createRegistryClient, parseImageReference, type RegistryClient } from '@sigil/oci';
import { usageError } from '../cli-error.js';
import type { OptionSpecs } from '../command.js';
import { uniqueEntries } from './policy.js';

/** cosign's registry flags; credentials otherwise come from GitLab CI's variables or ~/.docker/config.json. */
export const REGISTRY_OPTIONS: OptionSpecs = {
  'allow-insecure-registry': { type: 'boolean' },
  'registry-username': { type: 'string' },
  'registry-password': { type: 'string' },
  // cosign's root --timeout: one deadline for the command's registry work, retries included.
  timeout: { type: 'string', short: 't' },
};

// cosign's DefaultTimeout.
const DEFAULT_TIMEOUT_MS = 3 * 60_000;

export interface RegistryFlags {
  'allow-insecure-registry'?: boolean | undefined;
  'registry-username'?: string | undefined;
  'registry-password'?: string | undefined;
  timeout?: string | undefined;
}

/**
 * cosign binds every flag to a COSIGN_<FLAG> variable, so a job may say
 * COSIGN_ALLOW_INSECURE_REGISTRY=true (or SIGIL_...) instead of the flag. Plain http stays
 * limited to loopback registries whatever is set.
 */
export function registryClientFromFlags(flags: RegistryFlags, env: NodeJS.ProcessEnv = process.env): RegistryClient {
  const insecure = flags['allow-insecure-registry'] === true || env.COSIGN_ALLOW_INSECURE_REGISTRY === 'true' || env.SIGIL_ALLOW_INSECURE_REGISTRY === 'true';
  const timeoutMs = timeoutFromFlags(flags.timeout ?? (env.COSIGN_TIMEOUT || env.SIGIL_TIMEOUT || undefined));
  return createRegistryClient({
    allowInsecure: insecure,
    credentials: createCredentialResolver({ username: flags['registry-username'], password: flags['registry-password'] }),
    // The client is made as the command starts: the deadline runs from there.
    http: { signal: AbortSignal.timeout(timeoutMs) },
  });
}

const DURATION_UNITS_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** --timeout as Go's time.ParseDuration reads it (`3m`, `90s`, `1h30m`, `2.5s`); default 3 minutes as cosign. */
export function timeoutFromFlags(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  const parts = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h)/;
  let rest = text.trim();
  let total = 0;
  if (rest === '0') total = 0;
  else {
    if (rest === '') rest = 'x';
    while (rest !== '') {
      const match = parts.exec(rest);
      if (!match) throw usageError(`--timeout ${JSON.stringify(text.slice(0, 40))}: expected a duration such as 3m, 90s or 1h30m`);
      const unit = /[a-zµμ]+$/.exec(match[0])![0];
      total += Number(match[0].slice(0, -unit.length)) * DURATION_UNITS_MS[unit]!;
      rest = rest.slice(match[0].length);
    }
  }
  // cosign would give up at once: no registry work could be done, so say so now.
  if (total < 1) throw usageError(`--timeout ${JSON.stringify(text.slice(0, 40))}: expected a duration of at least 1ms (cosign would stop at once)`);
  return Math.min(Math.round(total), 2 ** 31 - 1);
}

/** cosign's `-a KEY=VALUE` annotations. */
export function annotationsFromFlags(values: string[] | undefined): Record<string, string> {
  const entries = (values ?? []).map((value): [string, string] => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw usageError(`--annotations ${JSON.stringify(value)}: expected KEY=VALUE`);
    return [value.slice(0, eq), value.slice(eq + 1)];
  });
  return uniqueEntries(entries, '-a');
}

/**
 * The warning for an image named by tag: the registry's answer for the tag decided which
 * digest was checked (sign warns the same way about what it signs).
 */
export function tagWarning(image: string, verifiedImage: string): string {
  const ref = parseImageReference(image);
  if (ref.digest !== undefined || ref.tag === undefined) return '';
  return `WARNING: ${image} uses a tag, not a digest: the registry resolved it to ${verifiedImage}, and that digest is what was verified. Verify by digest to be sure which image you check.\n`;
}
