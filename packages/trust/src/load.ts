import { readFileSync } from 'node:fs';
import { describeError, isSigilError } from '@sigil/errors';
import { TrustError } from './errors.js';
import { parseTrustedRoot } from '@sigil/bundle';
import { builtInTrustMaterial, TrustMaterial } from './trust-material.js';
import { PUBLIC_GOOD_PRODUCTION_ROOT } from './embedded/production.js';
import { PUBLIC_GOOD_STAGING_ROOT } from './embedded/staging.js';

export type PublicGoodInstance = 'production' | 'staging';

const embedded = new Map<PublicGoodInstance, TrustMaterial>();

/** The public-good Sigstore trusted root shipped inside Sigil: no network, no TUF. */
export function publicGoodTrustMaterial(instance: PublicGoodInstance = 'production'): TrustMaterial {
  let material = embedded.get(instance);
  if (!material) {
    material = builtInTrustMaterial(parseTrustedRoot(instance === 'production' ? PUBLIC_GOOD_PRODUCTION_ROOT : PUBLIC_GOOD_STAGING_ROOT));
    embedded.set(instance, material);
  }
  return material;
}

/** Reads a trusted_root.json file. Errors name the file and what was wrong with it. */
export function loadTrustMaterialFile(path: string): TrustMaterial {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TrustError('TRUST_ROOT_UNREADABLE', `trusted root ${path}: cannot be read (${describeError(err)})`, { cause: err });
  }
  try {
    // A file is checked whole at load time: errors name the file, not a later verification.
    return TrustMaterial.fromJson(text).validate();
  } catch (err) {
    if (isSigilError(err)) {
      throw new TrustError('TRUST_ROOT_INVALID', `trusted root ${path}: ${err.message}`, { cause: err, details: { file: path, code: err.code } });
    }
    throw err;
  }
}
