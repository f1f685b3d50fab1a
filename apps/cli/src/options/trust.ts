import { loadTrustMaterialFile, publicGoodTrustMaterial, type TrustMaterial } from '@sigil/trust';
import { usageError } from '../cli-error.js';

export interface TrustFlags {
  'trusted-root'?: string | undefined;
  staging?: boolean | undefined;
}

/**
 * --trusted-root FILE (or SIGIL_TRUSTED_ROOT, for CI variables), else the embedded
 * public-good root (production, or staging with --staging).
 */
export function trustFromFlags(flags: TrustFlags, env: NodeJS.ProcessEnv = process.env): TrustMaterial {
  const file = flags['trusted-root'] ?? (flags.staging ? undefined : env.SIGIL_TRUSTED_ROOT || undefined);
  if (file !== undefined) {
    if (flags.staging) throw usageError('--trusted-root and --staging cannot be combined: a trusted root file names its instance itself');
    return loadTrustMaterialFile(file);
  }
  return publicGoodTrustMaterial(flags.staging ? 'staging' : 'production');
}
