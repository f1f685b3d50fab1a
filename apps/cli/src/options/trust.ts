import { loadTrustMaterialFile, publicGoodTrustMaterial, type TrustMaterial } from '@sigil/trust';
import { usageError } from '../cli-error.js';

export interface TrustFlags {
  'trusted-root'?: string | undefined;
  staging?: boolean | undefined;
}

/** --trusted-root FILE, or the embedded public-good root (production, or staging with --staging). */
export function trustFromFlags(flags: TrustFlags): TrustMaterial {
  if (flags['trusted-root'] !== undefined) {
    if (flags.staging) throw usageError('--trusted-root and --staging cannot be combined: a trusted root file names its instance itself');
    return loadTrustMaterialFile(flags['trusted-root']);
  }
  return publicGoodTrustMaterial(flags.staging ? 'staging' : 'production');
}
