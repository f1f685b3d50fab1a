// esbuild as the stack's bundles use it (build.mjs): ESM for Node 20 with the repo's path
// aliases, and the signature-check thread's module beside the output, where a bundled Rekor
// service looks for it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));

/** Bundles each entry (output name -> source file) into `outdir` as <name>.mjs. */
export async function bundleForNode(entries: Record<string, string>, outdir: string, { signatureThread = true } = {}): Promise<void> {
  await build({
    entryPoints: signatureThread ? { ...entries, 'signature-thread': join(repo, 'test-infra/stack/src/rekor-server/signature-thread.mjs') } : entries,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(repo, 'tsconfig.json'),
    logLevel: 'warning',
  });
}
