// Bundles every target (TypeScript, workspace imports) into one CommonJS file each under
// .build/: Jazzer.js instruments CommonJS modules as they are required, so the whole bundle,
// Sigil's code and its dependencies alike, reports coverage to libFuzzer.
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGETS } from './targets.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const BUILD_DIR = join(here, '../.build');

export async function buildTargets(names = Object.keys(TARGETS)) {
  await build({
    entryPoints: Object.fromEntries(names.map((name) => [name, join(here, 'targets', `${name}.ts`)])),
    outdir: BUILD_DIR,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    tsconfig: join(here, '../../../tsconfig.json'),
  });
  return Object.fromEntries(names.map((name) => [name, join(BUILD_DIR, `${name}.cjs`)]));
}
