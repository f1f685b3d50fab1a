// Benchmarks import Sigil from source: bundle a TypeScript entry and import the result.
import { basename, dirname, join } from 'node:path';
import { bundleForNode } from '../scripts/bundle-for-node.mjs';

export async function loadFromSource(entry) {
  const name = basename(entry, '.ts');
  const outdir = join(dirname(entry), '.build');
  await bundleForNode({ [name]: entry }, outdir);
  return import(join(outdir, `${name}.mjs`));
}
