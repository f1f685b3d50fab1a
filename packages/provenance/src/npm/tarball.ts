import { hash } from '@sigil/crypto';
import { encodeBase64, JSON_DOCUMENT_LIMITS, parseJson, typeOf, utf8Decode } from '@sigil/encoding';
import { ProvenanceError } from '../errors.js';
import { asObject } from '../json-fields.js';
import { checkPackageName, checkPackageVersion } from './package-id.js';
import { TarFormatError, TarReader } from './tar-reader.js';

// Bounds: far above any real package, low enough that a gzip bomb costs little.
const MAX_UNPACKED_SIZE = 1024 * 1024 * 1024;
const MAX_PACKAGE_JSON_SIZE = 4 * 1024 * 1024;

export interface PackageManifest {
  name: string;
  version: string;
  /** The whole package.json. */
  manifest: Readonly<Record<string, unknown>>;
}

/**
 * Reads `package/package.json` from an npm tarball (gzip'd tar; npm strips the top
 * directory, whatever its name, so exactly one `<dir>/package.json` must exist). Streams
 * the archive with bounded memory. Throws PROVENANCE_NPM_TARBALL_INVALID or _PACKAGE_INVALID.
 */
export async function readPackageJsonFromTarball(tarball: Uint8Array): Promise<PackageManifest> {
  checkTarballBytes(tarball);
  if (tarball[0] !== 0x1f || tarball[1] !== 0x8b) fail('expected gzip data (an npm .tgz), found other bytes');
  const reader = new TarReader(isTopLevelPackageJson, MAX_PACKAGE_JSON_SIZE);
  // Loaded on use: a CLI that never reads a tarball should not pay for zlib at start-up.
  const { createGunzip } = await import('node:zlib');
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  gunzip.end(tarball);
  let unpacked = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      unpacked += chunk.length;
      if (unpacked > MAX_UNPACKED_SIZE) fail(`expected at most ${MAX_UNPACKED_SIZE} unpacked bytes, found more`);
      reader.push(chunk);
    }
    reader.finish();
  } catch (err) {
    if (err instanceof ProvenanceError) throw err;
    const reason = err instanceof TarFormatError ? err.message : `the gzip data is corrupt (${(err as NodeJS.ErrnoException)?.code ?? 'inflate failed'})`;
    fail(reason, err);
  } finally {
    gunzip.destroy();
  }
  if (reader.files.length !== 1) {
    fail(reader.files.length === 0 ? 'expected package/package.json, found none' : `expected one package/package.json, found ${reader.files.length}: ${reader.files.map((f) => f.path).join(', ')}`);
  }
  return manifestOf(reader.files[0]!.bytes);
}

/** Throws PROVENANCE_OPTIONS_INVALID unless `tarball` is bytes. */
export function checkTarballBytes(tarball: unknown): Uint8Array {
  if (!(tarball instanceof Uint8Array)) {
    throw new ProvenanceError('PROVENANCE_OPTIONS_INVALID', `npm tarball: expected bytes, found ${typeOf(tarball)}`);
  }
  return tarball;
}

/** `sha512-<base64>`: the integrity npm publishes for a tarball and signs in dist.signatures. */
export function tarballIntegrity(tarball: Uint8Array): string {
  return `sha512-${encodeBase64(hash('sha512', tarball))}`;
}

function isTopLevelPackageJson(path: string): boolean {
  const parts = path.replace(/^\.\//, '').split('/');
  return parts.length === 2 && parts[1] === 'package.json' && parts[0] !== '' && parts[0] !== '.' && parts[0] !== '..';
}

function manifestOf(bytes: Uint8Array): PackageManifest {
  let manifest: Readonly<Record<string, unknown>> | undefined;
  try {
    manifest = asObject(parseJson(utf8Decode(bytes).replace(/^\uFEFF/, ''), 'package.json', JSON_DOCUMENT_LIMITS['package.json']));
  } catch (err) {
    fail('package/package.json is not UTF-8 JSON', err);
  }
  if (!manifest) fail('package/package.json: expected a JSON object');
  return {
    name: checkPackageName(manifest.name, 'package.json "name"'),
    version: checkPackageVersion(manifest.version, 'package.json "version"'),
    manifest,
  };
}

function fail(reason: string, cause?: unknown): never {
  throw new ProvenanceError('PROVENANCE_NPM_TARBALL_INVALID', `npm tarball: ${reason}`, cause === undefined ? {} : { cause });
}
