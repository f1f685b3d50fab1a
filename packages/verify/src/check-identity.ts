import { PolicyError, type PolicyErrorCode } from './errors.js';
import { describeMatcher, matches } from './matchers.js';
import type { CertificateIdentity } from './policy.js';

/** What the signing certificate says about its signer. */
export interface SignerIdentity {
  /** The certificate's SAN: a URI, an email address or a username. */
  identity: string;
  identityType: string;
  issuer: string | undefined;
  /** Every Fulcio extension present, by canonical name. */
  extensions: Readonly<Record<string, string>>;
}

interface Mismatch {
  code: PolicyErrorCode;
  field: string;
  expected: string;
  found: string | undefined;
  wanted: CertificateIdentity;
}

/** Throws a PolicyError unless one of `identities` matches the signer. */
export function checkIdentity(signer: SignerIdentity, identities: readonly CertificateIdentity[]): void {
  const mismatches: Mismatch[] = [];
  for (const wanted of identities) {
    const mismatch = firstMismatch(signer, wanted);
    if (!mismatch) return;
    mismatches.push(mismatch);
  }
  const [first] = mismatches;
  if (!first) {
    throw new PolicyError('POLICY_IDENTITY_REQUIRED', 'identity policy: expected at least one certificate identity to check the signer against, found none');
  }
  const accept = `--certificate-identity ${shellQuote(signer.identity)} --certificate-oidc-issuer ${shellQuote(signer.issuer ?? '')}`;
  const others = mismatches.length > 1 ? ` (and ${mismatches.length - 1} other expected identities did not match either)` : '';
  const expectedSigner = `identity ${describeMatcher(first.wanted.subjectAlternativeName)}, issuer ${describeMatcher(first.wanted.issuer)}`;
  const actualSigner = `identity ${JSON.stringify(signer.identity)}, issuer ${JSON.stringify(signer.issuer ?? '(none)')}`;
  throw new PolicyError(
    first.code,
    `${first.field}: expected ${first.expected}, found ${first.found === undefined ? 'none' : JSON.stringify(first.found)}${others}.\n` +
      `  expected signer: ${expectedSigner}\n  actual signer:   ${actualSigner}`,
    {
      details: {
        expected: mismatches.map((m) => ({ field: m.field, value: m.expected })),
        actual: { identity: signer.identity, issuer: signer.issuer, extensions: signer.extensions },
        matchingFlags: accept,
      },
      hint: `if this signer is the one you trust, verify with: ${accept}`,
    },
  );
}

function firstMismatch(signer: SignerIdentity, wanted: CertificateIdentity): Mismatch | undefined {
  if (!matches(wanted.subjectAlternativeName, signer.identity)) {
    return { code: 'POLICY_IDENTITY_MISMATCH', field: 'certificate identity', expected: describeMatcher(wanted.subjectAlternativeName), found: signer.identity, wanted };
  }
  if (!matches(wanted.issuer, signer.issuer)) {
    return { code: 'POLICY_ISSUER_MISMATCH', field: 'certificate OIDC issuer', expected: describeMatcher(wanted.issuer), found: signer.issuer, wanted };
  }
  for (const [name, matcher] of wanted.extensions) {
    if (!matches(matcher, signer.extensions[name])) {
      return { code: 'POLICY_EXTENSION_MISMATCH', field: `certificate extension ${name}`, expected: describeMatcher(matcher), found: signer.extensions[name], wanted };
    }
  }
  return undefined;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
