import { usageError } from './cli-error.js';

/**
 * Signing records the signer's identity in a public transparency log forever, so, as
 * cosign does, sigil asks first: --yes, COSIGN_YES=true or SIGIL_YES=true answer for CI.
 * Without a terminal to ask on, it refuses rather than assume.
 */
export async function confirmUpload(yes: boolean | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // COSIGN_YES arrives as --yes through the flag binding (any strconv.ParseBool spelling).
  if (yes || env.SIGIL_YES === 'true') return;
  if (!process.stdin.isTTY) {
    throw usageError(
      'signing uploads your identity to a transparency log: confirm with --yes (or COSIGN_YES=true / SIGIL_YES=true)',
      'in a GitLab job, add COSIGN_YES: "true" to the job\'s variables',
    );
  }
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question('The signer\'s identity (from the token) will be recorded in a public transparency log and cannot be removed.\nContinue? [y/N] ');
    if (!/^y(es)?$/i.test(answer.trim())) throw usageError('signing cancelled');
  } finally {
    prompt.close();
  }
}
