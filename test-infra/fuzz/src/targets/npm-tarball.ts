// npm package tarballs (gzip'd tar) as the registry serves them: @sigil/provenance's reader.
import { readPackageJsonFromTarball } from '@sigil/provenance';
import { typedOnlyAsync, violated } from '../typed-only.js';

export async function fuzz(data: Buffer): Promise<void> {
  const read = await typedOnlyAsync(() => readPackageJsonFromTarball(new Uint8Array(data)));
  if (read && (typeof read.name !== 'string' || typeof read.version !== 'string')) violated('a package without a string name and version was read');
}
