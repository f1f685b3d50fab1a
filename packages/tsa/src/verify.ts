import { hash } from '@sigil/crypto';
import { bytesEqual } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { verifyCertificatePath, verifyWithAlgorithm, X509Error, type Certificate } from '@sigil/x509';
import { TsaError } from './errors.js';
import type { SignerIdentifier } from './signer-info.js';
import type { TimestampToken } from './token.js';

/** A `timestampAuthorities[]` entry of the trusted root, parsed. */
export interface TimestampAuthority {
  /** As in the trusted root: the TSA signing leaf first, then intermediates, the anchor last. */
  readonly certChain: readonly Certificate[];
  /** When the authority may have issued timestamps. No start: not valid at all. */
  readonly validFor: { readonly start?: Date | undefined; readonly end?: Date | undefined };
}

export interface TimestampVerificationOptions {
  /** The bytes that were timestamped: the bundle's signature (message signature or DSSE sig). */
  readonly data: Uint8Array;
  readonly authorities: readonly TimestampAuthority[];
}

export interface VerifiedTimestamp {
  readonly genTime: Date;
  /** Index into `authorities` of the one that vouched for it. */
  readonly authority: number;
}

/**
 * Verifies an RFC 3161 timestamp over `data`: the imprint, the CMS signature over the signed
 * attributes (whose messageDigest covers the TSTInfo), a signer certificate that belongs to
 * a trusted authority and chains to its anchor at genTime with the timeStamping EKU, and
 * genTime inside the authority's validFor. Certificates embedded in the token are used only
 * when they are the authority's own leaf (or, for an authority without a leaf, to find one
 * that chains to it). Returns the verified genTime.
 */
export function verifyTimestampToken(token: TimestampToken, options: TimestampVerificationOptions): VerifiedTimestamp {
  const { data, authorities } = options ?? {};
  if (!(data instanceof Uint8Array)) throw new TsaError('TSA_INVALID_ARGUMENT', 'timestamp verification: expected the timestamped data as bytes');
  if (!Array.isArray(authorities)) throw new TsaError('TSA_INVALID_ARGUMENT', 'timestamp verification: expected a list of timestamp authorities');

  const { algorithm, digest } = token.messageImprint;
  if (!bytesEqual(hash(algorithm, data), digest)) {
    throw new TsaError('TSA_IMPRINT_MISMATCH', `timestamp: the message imprint is not the ${algorithm} of the timestamped signature`, {
      hint: 'The timestamp was issued for another signature than the one in the bundle.',
    });
  }
  const { signerInfo } = token;
  if (!bytesEqual(hash(signerInfo.digestAlgorithm, token.tstInfoDer), signerInfo.messageDigest)) {
    throw new TsaError('TSA_SIGNATURE_INVALID', 'timestamp: the signed messageDigest attribute is not the digest of the TSTInfo');
  }

  // Keep the failure of the authority that got furthest: it explains the rejection best.
  let best: { stage: number; error: TsaError } | undefined;
  for (const [index, authority] of authorities.entries()) {
    try {
      return { genTime: token.genTime, authority: verifyWithAuthority(token, authority, index) };
    } catch (err) {
      if (!(err instanceof AuthorityFailure)) throw err;
      if (!best || err.stage >= best.stage) best = err;
    }
  }
  throw (
    best?.error ??
    new TsaError('TSA_UNTRUSTED_SIGNER', 'timestamp: expected a trusted timestamp authority, found none in the trusted root')
  );
}

class AuthorityFailure {
  constructor(
    readonly stage: number,
    readonly error: TsaError,
  ) {}
}

function verifyWithAuthority(token: TimestampToken, authority: TimestampAuthority, index: number): number {
  const who = `timestamp authority ${index}`;
  const chain = authority.certChain ?? [];
  // The trusted root lists the TSA's signing leaf first; an entry may also list CAs only.
  const pinned = chain[0] && !chain[0].basicConstraints?.ca ? chain[0] : undefined;
  const trusted = pinned ? chain.slice(1) : chain;
  const { sid } = token.signerInfo;
  const embedded = token.embeddedCertificates.find((cert) => identifies(sid, cert));
  let signer: Certificate | undefined;
  if (pinned) {
    if (identifies(sid, pinned) && (!embedded || bytesEqual(embedded.der, pinned.der))) signer = pinned;
  } else {
    signer = embedded;
  }
  if (!signer) {
    throw new AuthorityFailure(0, new TsaError('TSA_UNTRUSTED_SIGNER', `timestamp: signed by ${describeSid(sid)}, which is not ${who}'s certificate`, { details: { authority: index } }));
  }

  const { start, end } = authority.validFor ?? {};
  const t = token.genTime.getTime();
  if (!start || t < start.getTime() || (end && t > end.getTime())) {
    throw new AuthorityFailure(
      1,
      new TsaError('TSA_OUTSIDE_VALIDITY', `timestamp: genTime ${token.genTime.toISOString()} is outside ${who}'s validity (${start?.toISOString() ?? 'no start'} to ${end?.toISOString() ?? 'open'})`, {
        details: { authority: index, genTime: token.genTime.toISOString(), start: start?.toISOString(), end: end?.toISOString() },
      }),
    );
  }

  const { signatureAlgorithm, signedAttributesDer, signature, digestAlgorithm } = token.signerInfo;
  let valid: boolean;
  try {
    valid = verifyWithAlgorithm(signer.publicKey, signatureAlgorithm, signedAttributesDer, signature, digestAlgorithm);
  } catch (err) {
    const code = err instanceof X509Error && err.code === 'X509_UNSUPPORTED_ALGORITHM' ? 'TSA_UNSUPPORTED_ALGORITHM' : 'TSA_MALFORMED';
    throw new AuthorityFailure(2, new TsaError(code, `timestamp: ${describeError(err)}`, { cause: err, details: { authority: index } }));
  }
  if (!valid) {
    throw new AuthorityFailure(2, new TsaError('TSA_SIGNATURE_INVALID', `timestamp: the CMS signature by ${who}'s certificate does not verify`, { details: { authority: index } }));
  }

  try {
    verifyCertificatePath(signer, trusted, token.genTime, { leafPurpose: 'timeStamping' });
  } catch (err) {
    if (!(err instanceof X509Error)) throw err;
    throw new AuthorityFailure(
      3,
      new TsaError('TSA_CHAIN_INVALID', `timestamp: the signing certificate does not chain to ${who} at genTime ${token.genTime.toISOString()}: ${err.message}`, {
        cause: err,
        details: { authority: index, x509Code: err.code },
      }),
    );
  }
  return index;
}

function identifies(sid: SignerIdentifier, cert: Certificate): boolean {
  if ('subjectKeyId' in sid) return cert.subjectKeyId !== undefined && bytesEqual(sid.subjectKeyId, cert.subjectKeyId);
  return sid.serialNumber === cert.serialNumber && bytesEqual(sid.issuerDer, cert.issuerDer);
}

function describeSid(sid: SignerIdentifier): string {
  return 'subjectKeyId' in sid ? 'a certificate named by key id' : `the certificate with serial ${sid.serialNumber}`;
}
