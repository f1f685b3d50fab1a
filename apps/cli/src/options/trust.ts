import { loadTrustMaterialFile, publicGoodTrustMaterial, type TrustMaterial } from '@sigil/trust';
import { usageError } from '../cli-error.js';
import { sigstoreEnvGiven, trustWithSigstoreEnv } from './sigstore-env-trust.js';

export interface TrustFlags {
  'trusted-root'?: string | undefined;
  staging?: boolean | undefined;
  /** Names the log a SIGSTORE_REKOR_PUBLIC_KEY belongs to. */
  'rekor-url'?: string | undefined;
}

/**
 * --trusted-root FILE (or SIGIL_TRUSTED_ROOT, for CI variables), else the embedded
 * public-good root (production, or staging with --staging), with the parts cosign's
 * SIGSTORE_ROOT_FILE, SIGSTORE_REKOR_PUBLIC_KEY, SIGSTORE_CT_LOG_PUBLIC_KEY_FILE and
 * SIGSTORE_TSA_CERTIFICATE_FILE name replaced by those files. A trusted root file wins over them.
 */
export function trustFromFlags(flags: TrustFlags, env: NodeJS.ProcessEnv = process.env): TrustMaterial {
  const file = flags['trusted-root'] ?? (flags.staging ? undefined : env.SIGIL_TRUSTED_ROOT || undefined);
  if (file !== undefined) {
    if (flags.staging) throw usageError('--trusted-root and --staging cannot be combined: a trusted root file names its instance itself');
    return loadTrustMaterialFile(file);
  }
  const base = publicGoodTrustMaterial(flags.staging ? 'staging' : 'production');
  return sigstoreEnvGiven(env) ? trustWithSigstoreEnv(base, env, flags['rekor-url']) : base;
}
