import type { KeySignOptions } from '@sigil/sign';
import { usageError } from '../cli-error.js';
import type { Io } from '../command.js';
import { confirmUpload } from '../consent.js';
import { loadSigner } from '../keys/load-key.js';
import { servicesAndTrust, type KeylessSigningFlags } from './keyless-signing.js';

export type KeySigningFlags = KeylessSigningFlags & { key?: string | undefined; 'tlog-upload'?: boolean | undefined; 'issue-certificate'?: boolean | undefined };

/**
 * `--key REF` signing, as cosign 3: the signing config's logs and TSAs as keyless signing
 * selects them, no Fulcio and no token; --tlog-upload=false leaves the log out (then
 * @sigil/sign requires a TSA). The upload is confirmed as for keyless signing, as cosign does.
 */
export async function keySigningFromFlags(flags: KeySigningFlags, io: Pick<Io, 'stderr'>): Promise<KeySignOptions> {
  // The key first: a wrong key or password is the user's to fix, and says so even offline,
  // before the signing config is fetched through TUF.
  const signer = await loadSigner(flags.key!, { env: process.env, stdin: process.stdin, stderr: io.stderr });
  const { services, trust } = await servicesAndTrust(flags, io);
  const tlogUpload = flags['tlog-upload'] !== false;
  if (tlogUpload) await confirmUpload(flags.yes === true);
  return { signer, tlogUpload, transparencyLogs: services.transparencyLogs, tsaURLs: services.tsaURLs, trust };
}

/** The flags that only make sense with or without a key. */
export function checkKeyFlags(flags: KeySigningFlags): void {
  if (flags.key !== undefined && flags['issue-certificate'] === true) {
    throw usageError('--issue-certificate with --key: a Fulcio certificate for a long-lived key is not requested by sigil', 'sign with --key alone, or keylessly (without --key) for a certificate');
  }
  // Keyless signatures need their log entry: a short-lived certificate has no other time to be checked at.
  if (flags['tlog-upload'] === false && flags.key === undefined) {
    throw usageError(
      '--tlog-upload=false: keyless signatures without a log entry cannot be verified against Fulcio\'s short-lived certificates',
      'keep the log entry, or sign with --key (then a TSA timestamp is required: --timestamp-server-url or tsaUrls in the signing config)',
    );
  }
}
