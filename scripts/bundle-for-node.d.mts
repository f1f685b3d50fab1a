export const STACK_SIGNATURE_THREAD: string;
export function bundleForNode(entryPoints: Record<string, string>, outdir: string): Promise<void>;
