import { parseSigningConfig, type SigningConfig } from '@sigil/bundle';
import { isSigilError } from '@sigil/errors';
import { TrustMaterial } from '@sigil/trust';
import { readCachedTrust, refreshTuf, TARGETS, TufError } from '@sigil/tuf';
import { tufMirrorFor, type TrustFlags } from './trust.js';

const SIGNING_CONFIG_HINT =
  'to sign without TUF, pass --signing-config FILE (a signing_config.v0.2.json), or the services with --fulcio-url and --rekor-url (and --timestamp-server-url)';

/**
 * Signing is online anyway: refresh the TUF cache first and sign with its signing config (cosign
 * 3's default) and verify the result with its trusted root.
 */
export async function signingFromTuf(flags: TrustFlags, env: NodeJS.ProcessEnv = process.env): Promise<{ mirror: string; config: SigningConfig; trust: TrustMaterial }> {
  const { cacheRoot, mirror } = tufMirrorFor(flags, env);
  let trustedRoot: string;
  try {
    trustedRoot = (await refreshTuf({ cacheRoot, mirror })).after.trustedRoot;
  } catch (err) {
    if (!isSigilError(err)) throw err;
    throw new TufError(err instanceof TufError ? err.code : 'TUF_UPDATE_FAILED', `cannot take the signing config from TUF: ${err.message}`, { cause: err, hint: SIGNING_CONFIG_HINT });
  }
  const text = readCachedTrust(cacheRoot, mirror)?.target(TARGETS.signingConfig);
  if (text === undefined) throw new TufError('TUF_TARGET_MISSING', `TUF mirror ${mirror}: the targets metadata lists no ${TARGETS.signingConfig}`, { hint: SIGNING_CONFIG_HINT });
  return { mirror, config: parseSigningConfig(text), trust: TrustMaterial.fromJson(trustedRoot) };
}

/**
 * npm's registry keys from the TUF cache (the delegated role registry.npmjs.org), in the
 * registry's /-/npm/v1/keys form, as npm audit signatures reads them: the signing keys only,
 * expiring at the end of their validity.
 */
export function npmKeysFromTuf(flags: TrustFlags, env: NodeJS.ProcessEnv = process.env): { mirror: string; keys: { keys: unknown[] } } {
  const { cacheRoot, mirror } = tufMirrorFor(flags, env);
  const text = readCachedTrust(cacheRoot, mirror)?.target(TARGETS.npmKeys);
  if (text === undefined) {
    throw new TufError('TUF_TARGET_MISSING', `no npm registry keys in the TUF cache of ${mirror}`, { hint: 'run `sigil initialize` once, or pass --registry-keys FILE (the registry\'s /-/npm/v1/keys)' });
  }
  const document = JSON.parse(text) as { keys?: { keyId?: unknown; keyUsage?: unknown; publicKey?: { rawBytes?: unknown; keyDetails?: unknown; validFor?: { end?: unknown } } }[] };
  const keys = (Array.isArray(document?.keys) ? document.keys : [])
    .filter((key) => key?.keyUsage === 'npm:signatures')
    .map((key) => {
      const scheme = key.publicKey?.keyDetails === 'PKIX_ECDSA_P256_SHA_256' ? 'ecdsa-sha2-nistp256' : String(key.publicKey?.keyDetails);
      return { keyid: key.keyId, keytype: scheme, scheme, key: key.publicKey?.rawBytes, expires: key.publicKey?.validFor?.end ?? null };
    });
  return { mirror, keys: { keys } };
}
