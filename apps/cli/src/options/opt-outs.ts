import type { VerifierOptions } from '@sigil/verify';

export interface OptOutFlags {
  'insecure-ignore-tlog'?: boolean | undefined;
  'private-infrastructure'?: boolean | undefined;
  'insecure-ignore-sct'?: boolean | undefined;
  'use-signed-timestamps'?: boolean | undefined;
}

export interface OptOuts {
  verifierOptions: VerifierOptions;
  /** What was not checked, for the JSON result: empty unless asked. */
  skipped: string[];
  /** One WARNING line each, naming what was not checked. */
  warnings: string[];
}

/**
 * cosign's opt-outs, loudly. --insecure-ignore-tlog (and --private-infrastructure, its old
 * name) requires no log entry and, as cosign (pkg/cosign/verify.go), unless
 * --use-signed-timestamps asks for a timestamp: a key needs no time, a certificate is checked
 * at the current time. As cosign (sigstore-go without WithTransparencyLog, no VerifyBundle on
 * cosign 2 layers), the log entries a bundle carries are then not read at all: a private
 * instance's log need not be in the trusted root. --insecure-ignore-sct requires no SCT.
 * Timestamps a bundle carries are still verified.
 */
export function optOutsFromFlags(flags: OptOutFlags, withKey: boolean): OptOuts {
  const ignoreTlog = flags['insecure-ignore-tlog'] === true || flags['private-infrastructure'] === true;
  const ignoreSct = flags['insecure-ignore-sct'] === true;
  const verifierOptions: VerifierOptions = { backgroundChecks: false };
  const skipped: string[] = [];
  const warnings: string[] = [];
  if (ignoreTlog) {
    verifierOptions.ignoreTlogEntries = true;
    skipped.push('transparency log');
    const given = flags['insecure-ignore-tlog'] === true ? '--insecure-ignore-tlog' : '--private-infrastructure';
    warnings.push(`${given}: the transparency log was not checked: nothing shows this signature was published, and no log vouches for when it was made`);
    if (flags['use-signed-timestamps'] !== true) {
      verifierOptions.withoutVerifiedTime = withKey ? 'none' : 'current-time';
      if (!withKey) warnings.push(`${given}: without a log entry or a timestamp (--use-signed-timestamps), the certificate is checked at the current time, not at signing`);
    }
  }
  if (ignoreSct) {
    verifierOptions.ctlogThreshold = 0;
    skipped.push('certificate transparency (SCT)');
    warnings.push('--insecure-ignore-sct: the certificate\'s signed certificate timestamp was not checked: nothing shows the certificate was published in a CT log');
  }
  return { verifierOptions, skipped, warnings };
}

/** The opt-outs, their WARNING lines written to stderr at once. */
export function announcedOptOuts(flags: OptOutFlags, withKey: boolean, stderr: (text: string) => void): OptOuts {
  const optOuts = optOutsFromFlags(flags, withKey);
  for (const warning of optOuts.warnings) stderr(`WARNING: ${warning}\n`);
  return optOuts;
}
