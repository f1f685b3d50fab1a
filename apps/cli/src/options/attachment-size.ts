import { usageError } from '../cli-error.js';

// go-humanize's ParseBytes units, as cosign reads COSIGN_MAX_ATTACHMENT_SIZE: SI names are
// powers of 1000, IEC names (KiB, Mi) powers of 1024, case ignored.
const UNITS: Record<string, number> = { '': 1, b: 1 };
for (const [i, prefix] of ['k', 'm', 'g', 't', 'p', 'e'].entries()) {
  UNITS[prefix] = UNITS[`${prefix}b`] = 1000 ** (i + 1);
  UNITS[`${prefix}i`] = UNITS[`${prefix}ib`] = 1024 ** (i + 1);
}

/**
 * COSIGN_MAX_ATTACHMENT_SIZE (or SIGIL_MAX_ATTACHMENT_SIZE): the most an attestation is read
 * to, e.g. `5120`, `20K`, `3M`, `45MiB`, `1GB`. Unset: Sigil's 1 MiB (cosign's default is 128 MiB).
 * A value cosign could not read it falls back on silently; Sigil says so.
 */
export function attachmentSizeFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const [name, text] = env.COSIGN_MAX_ATTACHMENT_SIZE !== undefined ? ['COSIGN_MAX_ATTACHMENT_SIZE', env.COSIGN_MAX_ATTACHMENT_SIZE] : ['SIGIL_MAX_ATTACHMENT_SIZE', env.SIGIL_MAX_ATTACHMENT_SIZE];
  if (text === undefined) return undefined;
  const match = /^([\d.,]+)\s*([a-zA-Z]*)\s*$/.exec(text);
  const number = match ? Number(match[1]!.replace(/,/g, '')) : NaN;
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  const bytes = unit === undefined ? NaN : Math.floor(number * unit);
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw usageError(`${name}: expected a size such as 5120, 20K, 3M, 45MiB or 1GB, found ${JSON.stringify(text.slice(0, 40))}`);
  }
  return bytes;
}
