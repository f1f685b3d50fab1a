import { PRODUCTION_TUF_ROOT } from './embedded/production-root.js';
import { STAGING_TUF_ROOT } from './embedded/staging-root.js';

/** Sigstore's public-good TUF mirrors (cosign's and sigstore-go's defaults). */
export const PRODUCTION_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';
export const STAGING_MIRROR = 'https://tuf-repo-cdn.sigstage.dev';

/** The targets Sigil reads from a Sigstore TUF repository. */
export const TARGETS = {
  trustedRoot: 'trusted_root.json',
  signingConfig: 'signing_config.v0.2.json',
  npmKeys: 'registry.npmjs.org/keys.json',
} as const;

export type TargetName = (typeof TARGETS)[keyof typeof TARGETS];

/** A mirror URL without trailing slashes, so one mirror has one cache. */
export function normalizeMirror(mirror: string): string {
  return mirror.replace(/\/+$/, '');
}

/** The root.json embedded for a public-good mirror; none for any other mirror. */
export function embeddedAnchor(mirror: string): string | undefined {
  const normalized = normalizeMirror(mirror);
  if (normalized === PRODUCTION_MIRROR) return PRODUCTION_TUF_ROOT;
  if (normalized === STAGING_MIRROR) return STAGING_TUF_ROOT;
  return undefined;
}

/** sigstore-go's directory name for a mirror (URLToPath): scheme dropped, / and : as -, lower case. */
export function mirrorDirName(mirror: string): string {
  return normalizeMirror(mirror)
    .replace(/^https?:\/\//, '')
    .replace(/[/:]/g, '-')
    .toLowerCase();
}
