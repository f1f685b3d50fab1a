import { createCredentialResolver, createRegistryClient, type RegistryClient } from '@sigil/oci';
import { usageError } from '../cli-error.js';
import { uniqueEntries } from './policy.js';

export interface RegistryFlags {
  'allow-insecure-registry'?: boolean | undefined;
  'allow-http-registry'?: boolean | undefined;
  'registry-username'?: string | undefined;
  'registry-password'?: string | undefined;
}

/**
 * The registry client the flags describe (COSIGN_<FLAG> variables arrive as flags). Plain
 * http stays limited to loopback registries whatever is set; SIGIL_ALLOW_INSECURE_REGISTRY
 * is sigil's older spelling.
 */
export function registryClientFromFlags(flags: RegistryFlags, env: NodeJS.ProcessEnv = process.env): RegistryClient {
  const insecure = flags['allow-insecure-registry'] === true || flags['allow-http-registry'] === true || env.SIGIL_ALLOW_INSECURE_REGISTRY === 'true';
  return createRegistryClient({
    allowInsecure: insecure,
    credentials: createCredentialResolver({ username: flags['registry-username'], password: flags['registry-password'] }),
  });
}

/** cosign's COSIGN_REPOSITORY: signatures stored in, and read from, another repository. */
export function signatureRepositoryFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.COSIGN_REPOSITORY;
  return value === undefined || value === '' ? undefined : value;
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

/** cosign's --registry-referrers-mode: legacy, or oci-1-1 behind COSIGN_EXPERIMENTAL (RegistryReferrersMode.Set). */
export function referrersModeFromFlag(value: string | undefined, env: NodeJS.ProcessEnv = process.env): 'legacy' | 'oci-1-1' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'legacy') return value;
  if (value !== 'oci-1-1') throw usageError(`invalid argument "${value}" for --registry-referrers-mode: must be one of "legacy", "oci-1-1"`);
  const experimental = env.COSIGN_EXPERIMENTAL;
  if (!(experimental !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(experimental))) {
    throw usageError(`invalid argument "oci-1-1" for --registry-referrers-mode: in order to use mode "oci-1-1", you must set COSIGN_EXPERIMENTAL=1`);
  }
  return value;
}
