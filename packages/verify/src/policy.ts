import type { PublicKey } from '@sigil/crypto';
import { findFulcioExtension } from '@sigil/x509';
import { PolicyError } from './errors.js';
import { exact, regexp, type RegexpOptions, type ValueMatcher } from './matchers.js';

/** Who must have signed: the certificate's SAN, its OIDC issuer and any Fulcio extension values. */
export interface CertificateIdentity {
  subjectAlternativeName: ValueMatcher;
  issuer: ValueMatcher;
  /** Keyed by the extension's canonical name (`sourceRepositoryURI`, `buildTrigger`, ...). */
  extensions: ReadonlyMap<string, ValueMatcher>;
}

export interface VerificationPolicy {
  /** For certificate-signed bundles: at least one must match. */
  identities?: readonly CertificateIdentity[];
  /** For key-signed bundles (`--key`): the signature must verify with this key. */
  publicKey?: PublicKey;
}

export interface IdentityOptions extends RegexpOptions {
  /** The exact SAN: a URI (CI workflows, GitLab configs) or an email address. */
  identity?: string;
  identityRegexp?: string;
  issuer?: string;
  issuerRegexp?: string;
  /** Exact values for Fulcio extensions, by name (`Source Repository URI`, `sourceRepositoryURI`) or OID. */
  extensions?: Record<string, string>;
}

/** Builds an identity from cosign-style options; exactly one of each pair must be given. */
export function certificateIdentity(options: IdentityOptions): CertificateIdentity {
  const subjectAlternativeName = oneOf(options.identity, options.identityRegexp, 'certificate identity', options);
  const issuer = oneOf(options.issuer, options.issuerRegexp, 'certificate OIDC issuer', options);
  const extensions = new Map<string, ValueMatcher>();
  for (const [name, value] of Object.entries(options.extensions ?? {})) {
    const extension = findFulcioExtension(name);
    if (!extension) {
      throw new PolicyError('POLICY_UNKNOWN_EXTENSION', `certificate extension ${JSON.stringify(name)} is not a Fulcio extension: expected a name such as "Source Repository URI", "sourceRepositoryURI" or an OID 1.3.6.1.4.1.57264.1.N`);
    }
    extensions.set(extension.name, exact(value));
  }
  return { subjectAlternativeName, issuer, extensions };
}

function oneOf(value: string | undefined, pattern: string | undefined, what: string, options: RegexpOptions): ValueMatcher {
  if ((value === undefined) === (pattern === undefined)) {
    throw new PolicyError('POLICY_IDENTITY_REQUIRED', `${what}: expected either an exact value or a regular expression, found ${value === undefined ? 'neither' : 'both'}`);
  }
  return value !== undefined ? exact(value) : regexp(pattern!, what, options);
}
