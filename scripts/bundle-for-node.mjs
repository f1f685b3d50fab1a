// One esbuild setup for every Node bundle built from the TypeScript sources (the stack's
// dist, benchmarks, tests that run services in child processes): ESM for Node 20, workspace
// imports through the root tsconfig paths, and a `require` for the CommonJS dependencies.
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** The local Rekor starts its signature-check threads from this module, beside its bundle. */
export const STACK_SIGNATURE_THREAD = join(repo, 'test-infra/stack/src/rekor-server/signature-thread.mjs');

/** Bundles each entry (output name -> source file) into `outdir` as <name>.mjs. */
export async function bundleForNode(entryPoints, outdir) {
  await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    tsconfig: join(repo, 'tsconfig.json'),
    banner: { js: "import { createRequire as __sigilRequire } from 'node:module'; const require = __sigilRequire(import.meta.url);" },
  });
}
