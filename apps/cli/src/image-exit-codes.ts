import { isSigilError } from '@sigil/errors';

// cosign's exit codes for image verification (cmd/cosign/errors/exit_codes.go), which cosign
// applies to cosign 2 signatures only: a failure among cosign 3 bundles exits 1 there.
export const EXIT_IMAGE_WITHOUT_SIGNATURE = 10;
export const EXIT_NON_EXISTENT_TAG = 11;
export const EXIT_NO_MATCHING_SIGNATURE = 12;
export const EXIT_NO_CERTIFICATE_FOUND_ON_SIGNATURE = 13;

export function imageVerifyExitCode(err: unknown): number | undefined {
  if (!isSigilError(err)) return undefined;
  if (err.code === 'IMAGE_NO_SIGNATURES') return EXIT_IMAGE_WITHOUT_SIGNATURE;
  if (err.code === 'OCI_NOT_FOUND') return EXIT_NON_EXISTENT_TAG;
  if (err.code !== 'IMAGE_NO_VALID_SIGNATURE') return undefined;
  const failures = ((err.details as { failures?: { source: string; message: string }[] } | undefined)?.failures ?? []);
  if (failures.some((f) => f.source.startsWith('referrer'))) return undefined;
  if (failures.length > 0 && failures.every((f) => f.message.includes('found a signature made with a key'))) return EXIT_NO_CERTIFICATE_FOUND_ON_SIGNATURE;
  return EXIT_NO_MATCHING_SIGNATURE;
}
