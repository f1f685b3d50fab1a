// The stack's services bundled as build.mjs bundles them, to run in child processes; the
// signature-check thread's module goes beside the output, where a bundled Rekor looks for it.
import { bundleForNode as bundle, STACK_SIGNATURE_THREAD } from '../../../../../scripts/bundle-for-node.mjs';

/** Bundles each entry (output name -> source file) into `outdir` as <name>.mjs. */
export async function bundleForNode(entries: Record<string, string>, outdir: string, { signatureThread = true } = {}): Promise<void> {
  await bundle(signatureThread ? { ...entries, 'signature-thread': STACK_SIGNATURE_THREAD } : entries, outdir);
}
