import { typeOf } from '@sigil/encoding';
import { ProvenanceError } from '../errors.js';

const DEFAULT_REGISTRY = 'https://registry.npmjs.org';
// npm's rules (validate-npm-package-name), keeping legacy upper-case names readable.
const NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[A-Za-z0-9~!*'()-][A-Za-z0-9._~!*'()-]*$/;
const MAX_NAME_LENGTH = 214;
const SEMVER = /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const MAX_VERSION_LENGTH = 256;

/** Throws PROVENANCE_NPM_PACKAGE_INVALID unless `name` is a package name npm accepts. */
export function checkPackageName(name: unknown, what = 'npm package name'): string {
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !NAME.test(name)) {
    throw new ProvenanceError('PROVENANCE_NPM_PACKAGE_INVALID', `${what}: expected "name" or "@scope/name" in URL-safe characters, at most ${MAX_NAME_LENGTH} long, found ${describe(name)}`);
  }
  return name;
}

/** Throws PROVENANCE_NPM_PACKAGE_INVALID unless `version` is a SemVer 2.0 version. */
export function checkPackageVersion(version: unknown, what = 'npm package version'): string {
  if (typeof version !== 'string' || version.length > MAX_VERSION_LENGTH || !SEMVER.test(version)) {
    throw new ProvenanceError('PROVENANCE_NPM_PACKAGE_INVALID', `${what}: expected a SemVer version such as 1.2.3, found ${describe(version)}`);
  }
  return version;
}

/**
 * The package URL npm puts in a provenance statement's subject and `npm audit signatures`
 * expects: `pkg:npm/<name>@<version>`, a scope's `@` written `%40` (npm-package-arg toPurl).
 */
export function npmPackageSubject(name: string, version: string, registry: string = DEFAULT_REGISTRY): string {
  if (typeof registry !== 'string') throw new ProvenanceError('PROVENANCE_OPTIONS_INVALID', `npm registry: expected a URL, found ${typeOf(registry)}`);
  const purl = `pkg:npm/${checkPackageName(name).replace(/^@/, '%40')}@${checkPackageVersion(version)}`;
  return registry.replace(/\/+$/, '') === DEFAULT_REGISTRY ? purl : `${purl}?repository_url=${registry}`;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 300)) : typeOf(value);
}
