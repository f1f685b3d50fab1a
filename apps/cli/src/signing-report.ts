import type { Bundle } from '@sigil/bundle';
import { printable } from '@sigil/errors';
import { publicKeyHint } from '@sigil/sign';

/**
 * Who signed, as the user should expect it when verifying: "as ID (issuer I)" or "with key H (...)".
 * The identity comes from a token's claims: a newline in one must not start a line of its own.
 */
export function signedBy(result: { identity: string; issuer: string } | { publicKey: Uint8Array }): string {
  return 'publicKey' in result ? `with key ${publicKeyHint(result.publicKey)} (sha256 of the public key, base64)` : `as ${printable(result.identity)} (issuer ${printable(result.issuer)})`;
}

/** The log entry line cosign prints, or why there is none. */
export function logged(bundle: Bundle): string {
  const entry = bundle.verificationMaterial.tlogEntries[0];
  return entry ? `tlog entry created with index: ${entry.logIndex}\n` : 'no tlog entry (--tlog-upload=false): the signature\'s time comes from the timestamp\n';
}
