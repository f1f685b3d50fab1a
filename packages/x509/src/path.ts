import { bytesEqual, encodeBase64 } from '@sigil/encoding';
import { printable } from '@sigil/errors';
import type { Certificate } from './certificate.js';
import { X509Error } from './errors.js';
import { KNOWN_CRITICAL_EXTENSIONS, OID } from './oids.js';
import { verifyCertificateSignature, verifyCertificateSignatureInBackground } from './signature.js';

export type CertificatePurpose = 'codeSigning' | 'timeStamping';

export interface PathOptions {
  /** What the leaf must be allowed to do: sign code (Fulcio) or timestamps (a TSA). */
  readonly leafPurpose: CertificatePurpose;
}

const PURPOSE_OIDS: Readonly<Record<CertificatePurpose, string>> = {
  codeSigning: OID.codeSigning,
  timeStamping: OID.timeStamping,
};

/**
 * Builds and checks the path from `leaf` to the anchor of `trustedChain` (a trusted root's
 * CA chain: intermediates, then the anchor last) at time `at`, and returns it, leaf first.
 * Only `trustedChain` can supply issuers: certificates that came with a bundle are never
 * trusted. Every certificate must be valid at `at` (inclusive), issuers must be CAs allowed
 * to sign certificates within their path length, no certificate may carry a critical
 * extension this package does not enforce, and the leaf must be an end entity with
 * digitalSignature and the purpose's extended key usage.
 */
export function verifyCertificatePath(leaf: Certificate, trustedChain: readonly Certificate[], at: Date, options: PathOptions): Certificate[] {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new X509Error('X509_INVALID_ARGUMENT', 'verification time: expected a valid Date');
  }
  const purpose = PURPOSE_OIDS[options?.leafPurpose];
  if (!purpose) throw new X509Error('X509_INVALID_ARGUMENT', `leaf purpose: expected codeSigning or timeStamping, found ${String(options?.leafPurpose)}`);
  const path = buildPath(leaf, trustedChain);
  path.forEach((cert, depth) => checkCertificate(cert, depth, path, at, purpose));
  return path;
}

function buildPath(leaf: Certificate, trustedChain: readonly Certificate[]): Certificate[] {
  const anchor = trustedChain[trustedChain.length - 1];
  if (!anchor) throw new X509Error('X509_UNTRUSTED_ISSUER', 'trusted chain: expected at least the anchor certificate, found none');
  const path = [leaf];
  const unused = new Set(trustedChain);
  let current = leaf;
  // The leaf always needs an issuer, even when it is byte-identical to the anchor.
  while (path.length === 1 || current !== anchor) {
    const issuer = findIssuer(current, unused, path.length === 1 ? 'leaf' : 'intermediate');
    unused.delete(issuer);
    path.push(issuer);
    current = issuer;
  }
  return path;
}

/**
 * The issuer is a certificate whose subject is the certificate's issuer name and, where both
 * carry key identifiers, whose subject key id is the authority key id. Two CAs may share a
 * name (Sigstore's 2021 and 2022 roots do): the key id tells them apart, and only a
 * candidate that really is the issuer turns a failed signature into SIGNATURE_INVALID.
 */
function findIssuer(cert: Certificate, candidates: ReadonlySet<Certificate>, role: string): Certificate {
  let named = 0;
  for (const candidate of candidates) {
    if (!mayHaveIssued(candidate, cert)) continue;
    named++;
    if (signedBy(cert, candidate)) return candidate;
  }
  if (named > 0) {
    throw new X509Error('X509_SIGNATURE_INVALID', `${role} certificate (${describe(cert)}): the signature by its issuer "${printable(cert.issuer)}" does not verify`, {
      details: { issuer: cert.issuer, serialNumber: cert.serialNumber },
    });
  }
  throw new X509Error('X509_UNTRUSTED_ISSUER', `${role} certificate (${describe(cert)}): expected an issuer "${printable(cert.issuer)}" in the trusted chain, found none`, {
    details: { issuer: cert.issuer, trusted: [...candidates].map((c) => c.subject) },
    hint: 'Check that the trusted root is the one of the Sigstore instance that issued the certificate.',
  });
}

// Every path check verifies "intermediate signed by root", and a signer that checks its new
// certificate and then its finished bundle verifies "leaf signed by intermediate" twice, from
// two parses of the same bytes: remember the pairs that verified (a P-384 verification costs
// one to two milliseconds). Found by the certificate's signature, kept with its whole DER,
// which must be equal byte for byte, and by the issuer object (trusted-root certificates are
// parsed once).
const MAX_REMEMBERED = 4096;
const verifiedPairs = new Map<string, { der: Uint8Array; issuers: WeakSet<Certificate> }>();

/** By name and, where both carry one, by key identifier. */
function mayHaveIssued(candidate: Certificate, cert: Certificate): boolean {
  if (!bytesEqual(candidate.subjectDer, cert.issuerDer)) return false;
  return !(cert.authorityKeyId && candidate.subjectKeyId && !bytesEqual(cert.authorityKeyId, candidate.subjectKeyId));
}

/**
 * Starts checking, on the thread pool, the signature of `cert` by each certificate of
 * `trustedChain` that may have issued it; those that verify are remembered, so that a
 * verifyCertificatePath afterwards finds them done. Never rejects: a signature that does not
 * verify here is checked, and reported, again by the path check.
 */
export async function precheckIssuerSignatures(cert: Certificate, trustedChain: readonly Certificate[]): Promise<void> {
  await Promise.all(
    trustedChain.map(async (candidate) => {
      try {
        if (!mayHaveIssued(candidate, cert) || isRemembered(cert, candidate)) return;
        if (await verifyCertificateSignatureInBackground(cert, candidate.publicKey)) rememberPair(cert, candidate);
      } catch {
        // a candidate whose key cannot be read: the path check reports it
      }
    }),
  );
}

/**
 * For Sigil's embedded roots only (@sigil/trust's publicGoodTrustMaterial); not part of the
 * documented API. Records that each certificate of `chain` (a trusted root's CA chain, anchor
 * last) is signed by the next, without checking. The chains built into Sigil have their links
 * verified for real by a test (packages/verify/test/built-in-chains.test.ts): re-checking them
 * proves nothing the program itself does not, and costs every cold start a P-384 verification
 * and a key import (about 1 ms). Certificates of any other trusted root are other objects, and
 * are verified.
 */
export function rememberBuiltInChain(chain: readonly Certificate[]): void {
  for (let i = 0; i + 1 < chain.length; i++) {
    if (mayHaveIssued(chain[i + 1]!, chain[i]!)) rememberPair(chain[i]!, chain[i + 1]!);
  }
}

function signedBy(cert: Certificate, issuer: Certificate): boolean {
  if (isRemembered(cert, issuer)) return true;
  if (!verifyCertificateSignature(cert, issuer.publicKey)) return false;
  rememberPair(cert, issuer);
  return true;
}

function isRemembered(cert: Certificate, issuer: Certificate): boolean {
  const remembered = verifiedPairs.get(pairKey(cert));
  return remembered !== undefined && remembered.issuers.has(issuer) && bytesEqual(remembered.der, cert.der);
}

function pairKey(cert: Certificate): string {
  return encodeBase64(cert.signatureValue);
}

function rememberPair(cert: Certificate, issuer: Certificate): void {
  const key = pairKey(cert);
  let remembered = verifiedPairs.get(key);
  if (!remembered || !bytesEqual(remembered.der, cert.der)) {
    if (verifiedPairs.size >= MAX_REMEMBERED) verifiedPairs.delete(verifiedPairs.keys().next().value!);
    verifiedPairs.set(key, (remembered = { der: cert.der.slice(), issuers: new WeakSet() }));
  }
  remembered.issuers.add(issuer);
}

function checkCertificate(cert: Certificate, depth: number, path: readonly Certificate[], at: Date, purpose: string): void {
  const role = depth === 0 ? 'leaf' : depth === path.length - 1 ? 'anchor' : 'intermediate';
  const who = `${role} certificate (${describe(cert)})`;
  if (at.getTime() < cert.notBefore.getTime()) {
    throw new X509Error('X509_NOT_YET_VALID', `${who}: not valid until ${cert.notBefore.toISOString()}, checked at ${at.toISOString()}`, {
      details: { notBefore: cert.notBefore.toISOString(), at: at.toISOString(), depth },
    });
  }
  if (at.getTime() > cert.notAfter.getTime()) {
    throw new X509Error('X509_EXPIRED', `${who}: expired at ${cert.notAfter.toISOString()}, checked at ${at.toISOString()}`, {
      details: { notAfter: cert.notAfter.toISOString(), at: at.toISOString(), depth },
    });
  }
  const unknown = cert.extensions.find((ext) => ext.critical && !KNOWN_CRITICAL_EXTENSIONS.has(ext.oid));
  if (unknown) {
    throw new X509Error('X509_UNKNOWN_CRITICAL_EXTENSION', `${who}: critical extension ${unknown.oid} is not one Sigil enforces`, {
      details: { oid: unknown.oid, depth },
    });
  }
  if (depth === 0) checkLeaf(cert, who, purpose);
  else checkIssuer(cert, who, depth, path, purpose);
}

function checkLeaf(cert: Certificate, who: string, purpose: string): void {
  if (cert.basicConstraints?.ca) throw new X509Error('X509_LEAF_IS_CA', `${who}: expected an end-entity certificate, found CA:TRUE`);
  const eku = cert.extendedKeyUsage ?? [];
  if (!eku.includes(purpose)) {
    throw new X509Error('X509_MISSING_EKU', `${who}: expected extended key usage ${purpose}, found ${eku.join(', ') || 'none'}`, {
      details: { expected: purpose, actual: eku },
    });
  }
  // RFC 3161 section 2.3: a TSA certificate has exactly this one purpose, in a critical extension.
  if (purpose === OID.timeStamping && (eku.length !== 1 || !cert.extensions.find((ext) => ext.oid === OID.extKeyUsage)?.critical)) {
    throw new X509Error('X509_MISSING_EKU', `${who}: expected a critical extended key usage holding only timeStamping, found ${eku.join(', ')}`, {
      details: { expected: [purpose], actual: eku },
    });
  }
  if (!cert.keyUsage?.has('digitalSignature')) {
    throw new X509Error('X509_KEY_USAGE', `${who}: expected key usage digitalSignature, found ${describeKeyUsage(cert)}`);
  }
}

function checkIssuer(cert: Certificate, who: string, depth: number, path: readonly Certificate[], purpose: string): void {
  if (!cert.basicConstraints?.ca) throw new X509Error('X509_NOT_CA', `${who}: issues a certificate but is not a CA (basic constraints CA:TRUE missing)`);
  if (!cert.keyUsage?.has('keyCertSign')) {
    throw new X509Error('X509_KEY_USAGE', `${who}: issues a certificate but its key usage lacks keyCertSign, found ${describeKeyUsage(cert)}`);
  }
  const { pathLength } = cert.basicConstraints;
  if (pathLength !== undefined) {
    // Intermediates below this one, not counting self-issued ones (RFC 5280 section 4.2.1.9).
    const below = path.slice(1, depth).filter((c) => !bytesEqual(c.subjectDer, c.issuerDer)).length;
    if (below > pathLength) {
      throw new X509Error('X509_PATH_LENGTH', `${who}: allows ${pathLength} intermediate certificates below it, found ${below}`, {
        details: { pathLength, actual: below, depth },
      });
    }
  }
  // An issuer that restricts its extended key usages restricts what it may issue for (as Go does).
  const eku = cert.extendedKeyUsage;
  if (eku && !eku.includes(purpose) && !eku.includes(OID.anyExtendedKeyUsage)) {
    throw new X509Error('X509_MISSING_EKU', `${who}: its extended key usages (${eku.join(', ')}) do not allow ${purpose}`, {
      details: { expected: purpose, actual: eku, depth },
    });
  }
}

function describe(cert: Certificate): string {
  const name = cert.subject || cert.subjectAltNames[0]?.value || 'no subject';
  return `${printable(name)}, serial ${cert.serialNumber}`;
}

function describeKeyUsage(cert: Certificate): string {
  return cert.keyUsage ? [...cert.keyUsage].join(', ') || 'none' : 'no key usage extension';
}
