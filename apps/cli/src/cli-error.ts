import { SigilError } from '@sigil/errors';

export type CliErrorCode = 'CLI_USAGE' | 'CLI_FILE_UNREADABLE' | 'CLI_FILE_UNWRITABLE' | 'CLI_NOT_IMPLEMENTED' | 'CLI_ATTESTATION_MISMATCH' | 'CLI_FLAG_REFUSED' | 'CLI_TIMEOUT' | 'CLI_CERTIFICATE_CHAIN' | 'CLI_TLOG_ENTRY_NOT_FOUND';

/** A problem with how sigil was called or with the files it was pointed at. */
export class CliError extends SigilError<CliErrorCode> {}

export function usageError(message: string, hint?: string): CliError {
  return new CliError('CLI_USAGE', message, hint ? { hint } : {});
}
