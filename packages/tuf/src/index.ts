// @sigil/tuf: live Sigstore trust through TUF (tuf-js): embedded anchors, a per-mirror cache
// committed atomically, offline reads checked against the cached metadata.
export { TufError, type TufErrorCode } from './errors.js';
export { PRODUCTION_MIRROR, STAGING_MIRROR, TARGETS, type TargetName, embeddedAnchor, normalizeMirror, mirrorDirName } from './mirrors.js';
export { tufCacheRoot, selectedMirror, recordMirror, type MirrorChoice } from './cache-location.js';
export { mirrorCacheDir } from './cache-store.js';
export { refreshTuf, type RefreshOptions, type RefreshResult } from './refresh.js';
export { readCachedTrust, describeAge, type CachedTrust } from './cached-trust.js';
export type { RoleVersions, ExpiredRole } from './verified-state.js';
export { trustedRootChanges, type TrustChange, type TrustKind } from './trusted-root-changes.js';
