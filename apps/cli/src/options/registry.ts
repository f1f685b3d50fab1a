import { createCredentialResolver, createRegistryClient, type RegistryClient } from '@sigil/oci';
import { usageError } from '../cli-error.js';
import type { OptionSpecs } from '../command.js';
import { uniqueEntries } from './policy.js';

/** cosign's registry flags; credentials otherwise come from GitLab CI's variables or ~/.docker/config.json. */
export const REGISTRY_OPTIONS: OptionSpecs = {
  'allow-insecure-registry': { type: 'boolean' },
  'registry-username': { type: 'string' },
  'registry-password': { type: 'string' },
};

export interface RegistryFlags {
  'allow-insecure-registry'?: boolean | undefined;
  'registry-username'?: string | undefined;
  'registry-password'?: string | undefined;
}

/**
 * cosign binds every flag to a COSIGN_<FLAG> variable, so a job may say
 * COSIGN_ALLOW_INSECURE_REGISTRY=true (or SIGIL_...) instead of the flag. Plain http stays
 * limited to loopback registries whatever is set.
 */
export function registryClientFromFlags(flags: RegistryFlags, env: NodeJS.ProcessEnv = process.env): RegistryClient {
  const insecure = flags['allow-insecure-registry'] === true || env.COSIGN_ALLOW_INSECURE_REGISTRY === 'true' || env.SIGIL_ALLOW_INSECURE_REGISTRY === 'true';
  return createRegistryClient({
    allowInsecure: insecure,
    credentials: createCredentialResolver({ username: flags['registry-username'], password: flags['registry-password'] }),
  });
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
