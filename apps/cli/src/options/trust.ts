import { describeError, printable } from '@sigil/errors';
import { loadTrustMaterialFile, publicGoodTrustMaterial, TrustMaterial } from '@sigil/trust';
import { describeAge, embeddedAnchor, readCachedTrust, selectedMirror, STAGING_MIRROR, TARGETS, TufError, tufCacheRoot } from '@sigil/tuf';
import { usageError } from '../cli-error.js';
import type { Io } from '../command.js';
import { sigstoreEnvGiven, trustWithCaFiles, trustWithSigstoreEnv } from './sigstore-env-trust.js';

export interface TrustFlags {
  'trusted-root'?: string | undefined;
  staging?: boolean | undefined;
  /** Names the log a SIGSTORE_REKOR_PUBLIC_KEY belongs to. */
  'rekor-url'?: string | undefined;
  /** cosign's private CA (verify-blob, verify-blob-attestation): replaces the CAs of the trust. */
  'ca-roots'?: string | undefined;
  'ca-intermediates'?: string | undefined;
}

/** Where the certificate authorities came from, when not from the trusted root. */
export type CaSource = { certificateAuthorities?: { from: '--ca-roots'; roots: string; intermediates?: string } };

/** Where the trust material came from, for --output json. */
export type TrustSource =
  | ({ source: 'file'; file: string; from: '--trusted-root' | 'SIGIL_TRUSTED_ROOT' } & CaSource)
  | ({ source: 'tuf-cache'; mirror: string; refreshedAt: string; versions: { root: number; timestamp: number; snapshot: number; targets: number }; sigstoreEnv?: true } & CaSource)
  | ({ source: 'embedded'; instance: 'production' | 'staging'; sigstoreEnv?: true } & CaSource);

export interface ResolvedTrust {
  material: TrustMaterial;
  source: TrustSource;
  /** Said on stderr: an expired cache used anyway, a corrupt cache passed over. */
  warnings: string[];
}

/** The mirror whose cache verification reads: --staging, else TUF_MIRROR, remote.json, production. */
export function tufMirrorFor(flags: TrustFlags, env: NodeJS.ProcessEnv): { cacheRoot: string; mirror: string } {
  const cacheRoot = tufCacheRoot(env);
  return { cacheRoot, mirror: flags.staging ? STAGING_MIRROR : selectedMirror(cacheRoot, env).mirror };
}

/**
 * Trust for verification, offline, in order: --trusted-root FILE (or SIGIL_TRUSTED_ROOT, for CI
 * variables); else the TUF cache of the mirror (`sigil initialize`), its targets checked against
 * the cached metadata; else the snapshot embedded at build time (production, or staging with
 * --staging). An expired cache is used with a warning; a corrupt one is passed over with a
 * warning for the public-good mirrors, and is an error for any other (the embedded roots are not
 * theirs), as is a missing one.
 * cosign's SIGSTORE_ROOT_FILE, SIGSTORE_REKOR_PUBLIC_KEY, SIGSTORE_CT_LOG_PUBLIC_KEY_FILE and
 * SIGSTORE_TSA_CERTIFICATE_FILE replace their parts of the cached or embedded material, as in
 * cosign (a trusted root file wins over them). --ca-roots (with --ca-intermediates) then replaces
 * the certificate authorities, loudly: the logs and CT logs stay those of the trust resolved.
 */
export function resolveTrust(flags: TrustFlags, env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): ResolvedTrust {
  const resolved = resolveRootTrust(flags, env, now);
  const roots = flags['ca-roots'];
  const intermediates = flags['ca-intermediates'];
  if (roots === undefined) {
    if (intermediates !== undefined) throw usageError('--ca-intermediates goes with --ca-roots: the intermediates must chain to roots given there');
    return resolved;
  }
  return {
    material: trustWithCaFiles(resolved.material, roots, intermediates),
    source: { ...resolved.source, certificateAuthorities: { from: '--ca-roots', roots, ...(intermediates !== undefined ? { intermediates } : {}) } },
    warnings: [
      ...resolved.warnings,
      `--ca-roots: the signing certificate was checked against the CAs of ${roots}${intermediates !== undefined ? ` and ${intermediates}` : ''}, not those of the trusted root; the logs and CT logs are still the trusted root's`,
    ],
  };
}

function resolveRootTrust(flags: TrustFlags, env: NodeJS.ProcessEnv, now: Date): ResolvedTrust {
  const flagged = flags['trusted-root'];
  const file = flagged ?? (flags.staging ? undefined : env.SIGIL_TRUSTED_ROOT || undefined);
  if (file !== undefined) {
    if (flags.staging) throw usageError('--trusted-root and --staging cannot be combined: a trusted root file names its instance itself');
    return { material: loadTrustMaterialFile(file), source: { source: 'file', file, from: flagged !== undefined ? '--trusted-root' : 'SIGIL_TRUSTED_ROOT' }, warnings: [] };
  }
  const instance = flags.staging ? 'staging' : 'production';
  const embedded = (): ResolvedTrust => withSigstoreEnv({ material: publicGoodTrustMaterial(instance), source: { source: 'embedded', instance }, warnings }, flags, env);
  const warnings: string[] = [];
  let mirror: string | undefined;
  try {
    const selected = tufMirrorFor(flags, env);
    mirror = selected.mirror;
    const cached = readCachedTrust(selected.cacheRoot, mirror, now);
    if (!cached) {
      // The embedded roots are the public-good instances': another mirror's trust is only ever its own cache.
      if (embeddedAnchor(mirror) === undefined) throw notInitialized(mirror, selected.cacheRoot);
      return embedded();
    }
    const text = cached.target(TARGETS.trustedRoot);
    if (text === undefined) throw new TufError('TUF_CACHE_CORRUPT', `TUF cache ${cached.cacheDir}: the cached targets list no ${TARGETS.trustedRoot}`);
    const material = TrustMaterial.fromJson(text).validate();
    for (const { role, expires } of cached.expired) {
      warnings.push(
        `the cached TUF ${role} metadata of ${mirror} expired ${describeAge(now.getTime() - expires.getTime())} ago (${expires.toISOString()}); ` +
          'verifying with it anyway (verification is offline). Run `sigil initialize` to refresh it.',
      );
    }
    const { root, timestamp, snapshot, targets } = cached.versions;
    return withSigstoreEnv({ material, source: { source: 'tuf-cache', mirror, refreshedAt: cached.refreshedAt.toISOString(), versions: { root, timestamp, snapshot, targets } }, warnings }, flags, env);
  } catch (err) {
    if (err instanceof TufError && err.code === 'TUF_NO_ANCHOR') throw err;
    const publicGood = mirror === undefined || embeddedAnchor(mirror) !== undefined;
    if (!publicGood) {
      throw new TufError('TUF_CACHE_CORRUPT', `the TUF cache of ${mirror} cannot be used: ${describeError(err)}`, {
        cause: err,
        hint: 'run `sigil initialize` again, or pass --trusted-root FILE',
      });
    }
    warnings.push(`the TUF cache cannot be used (${describeError(err)}); verifying with the trusted root embedded in sigil instead. Run \`sigil initialize\` to rebuild it.`);
    return embedded();
  }
}

function notInitialized(mirror: string, cacheRoot: string): TufError {
  return new TufError('TUF_NO_ANCHOR', `TUF mirror ${mirror}: expected its metadata in the TUF cache ${cacheRoot}, found none; the trusted root embedded in sigil is the public-good instance's, not this mirror's`, {
    hint: `run \`sigil initialize --mirror ${mirror} --root ROOT.json\` first, or pass --trusted-root FILE`,
  });
}

/** The trust material alone, its warnings written to the command's stderr (escaped like all it writes). */
export function trustFromFlags(flags: TrustFlags, io: Pick<Io, 'stderr'>, env: NodeJS.ProcessEnv = process.env): TrustMaterial {
  const resolved = resolveTrust(flags, env);
  for (const warning of resolved.warnings) io.stderr(`WARNING: ${printable(warning)}\n`);
  return resolved.material;
}

/** cosign's SIGSTORE_* files, each replacing its part of the material (and said in the source). */
function withSigstoreEnv(resolved: ResolvedTrust, flags: TrustFlags, env: NodeJS.ProcessEnv): ResolvedTrust {
  if (!sigstoreEnvGiven(env) || resolved.source.source === 'file') return resolved;
  return { ...resolved, material: trustWithSigstoreEnv(resolved.material, env, flags['rekor-url']), source: { ...resolved.source, sigstoreEnv: true } };
}
