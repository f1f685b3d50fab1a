import { describeError } from '@sigil/errors';
import { der, parseCertificate, type Certificate } from '@sigil/x509';
import { TsaError } from './errors.js';
import { OID } from './oids.js';
import { decodeSignerInfo, type SignerInfo } from './signer-info.js';
import { decodeTstInfo, type TstInfo } from './tst-info.js';

const { TAG, children, contextTag, expectTag, raw, readOid, readSmallInteger, readWhole, value } = der;

export interface TimestampToken extends TstInfo {
  /** The TimeStampToken (a CMS ContentInfo) as DER, without any TimeStampResp around it. */
  readonly der: Uint8Array;
  /** The TSTInfo DER, as signed (the eContent). */
  readonly tstInfoDer: Uint8Array;
  readonly signerInfo: SignerInfo;
  /** Certificates the TSA chose to include: never trusted, only matched against authorities. */
  readonly embeddedCertificates: readonly Certificate[];
}

const MAX_TOKEN_SIZE = 64 * 1024;
const MAX_CERTIFICATES = 16;

/**
 * Parses what a Sigstore bundle's `signedTimestamp` holds: a DER TimeStampResp (what TSAs
 * return and what every public-good bundle carries) or a bare TimeStampToken (ContentInfo).
 * Throws TsaError TSA_MALFORMED, TSA_NOT_GRANTED or TSA_UNSUPPORTED_ALGORITHM.
 */
export function parseTimestampToken(bytes: Uint8Array): TimestampToken {
  if (!(bytes instanceof Uint8Array)) throw new TsaError('TSA_MALFORMED', `timestamp: expected DER bytes, found ${typeof bytes}`);
  if (bytes.length > MAX_TOKEN_SIZE) throw new TsaError('TSA_MALFORMED', `timestamp: expected at most ${MAX_TOKEN_SIZE} bytes, found ${bytes.length}`);
  try {
    return decodeToken(unwrapResponse(bytes.slice()));
  } catch (err) {
    if (err instanceof TsaError) throw err;
    throw new TsaError('TSA_MALFORMED', `timestamp: not a valid RFC 3161 timestamp: ${describeError(err)}`, { cause: err });
  }
}

/** A TimeStampResp starts with its PKIStatusInfo SEQUENCE; a ContentInfo with an OID. */
function unwrapResponse(bytes: Uint8Array): Uint8Array {
  const outer = readWhole(bytes, TAG.SEQUENCE, 'timestamp');
  const [first, second, extra] = children(bytes, outer, 'timestamp');
  if (first?.tag !== TAG.SEQUENCE) return bytes;
  const [status] = children(bytes, first, 'PKIStatusInfo');
  if (!status) throw new der.DerError('PKIStatusInfo: missing status');
  const code = readSmallInteger(bytes, status, 'PKIStatus');
  // 0 granted, 1 grantedWithMods; anything else carries no token.
  if (code > 1) throw new TsaError('TSA_NOT_GRANTED', `timestamp response: expected status granted (0 or 1), found ${code}`, { details: { status: code } });
  if (!second || extra) throw new der.DerError('TimeStampResp: expected a status and one timeStampToken');
  return raw(bytes, second);
}

function decodeToken(bytes: Uint8Array): TimestampToken {
  const contentInfo = children(bytes, expectTag(der.readTlv(bytes, 0, bytes.length), TAG.SEQUENCE, 'ContentInfo'), 'ContentInfo');
  const [typeTlv, explicit, extra] = contentInfo;
  if (!typeTlv || !explicit || extra) throw new der.DerError('ContentInfo: expected contentType and content');
  const contentType = readOid(bytes, typeTlv, 'ContentInfo contentType');
  if (contentType !== OID.signedData) throw new der.DerError(`ContentInfo: expected signedData, found ${contentType}`);
  const [signedData, more] = children(bytes, expectTag(explicit, contextTag(0, true), 'ContentInfo content'), 'ContentInfo content');
  if (!signedData || more) throw new der.DerError('ContentInfo: expected one SignedData');

  const fields = children(bytes, expectTag(signedData, TAG.SEQUENCE, 'SignedData'), 'SignedData');
  const [version, digestAlgorithms, encap, ...rest] = fields;
  if (!version || !digestAlgorithms || !encap) throw new der.DerError('SignedData: missing fields');
  readSmallInteger(bytes, version, 'SignedData version');
  expectTag(digestAlgorithms, TAG.SET, 'SignedData digestAlgorithms');
  const tstInfoDer = encapsulatedTstInfo(bytes, encap);

  let at = 0;
  const certificatesTlv = rest[at]?.tag === contextTag(0, true) ? rest[at++] : undefined;
  if (rest[at]?.tag === contextTag(1, true)) at++; // CRLs: not used
  const signerInfos = rest[at++];
  if (!signerInfos || at !== rest.length) throw new der.DerError('SignedData: expected signerInfos last');
  const signers = children(bytes, expectTag(signerInfos, TAG.SET, 'SignedData signerInfos'), 'signerInfos');
  if (signers.length !== 1) throw new der.DerError(`SignedData: expected exactly one SignerInfo, found ${signers.length}`);

  const signerInfo = decodeSignerInfo(bytes, signers[0]!);
  if (signerInfo.contentType !== OID.tstInfo) throw new der.DerError(`contentType attribute: expected id-ct-TSTInfo, found ${signerInfo.contentType}`);

  return {
    ...decodeTstInfo(tstInfoDer),
    der: bytes,
    tstInfoDer,
    signerInfo,
    embeddedCertificates: certificatesTlv ? decodeCertificates(bytes, certificatesTlv) : [],
  };
}

function encapsulatedTstInfo(bytes: Uint8Array, encap: der.Tlv): Uint8Array {
  const [typeTlv, explicit, extra] = children(bytes, expectTag(encap, TAG.SEQUENCE, 'encapContentInfo'), 'encapContentInfo');
  if (!typeTlv || !explicit || extra) throw new der.DerError('encapContentInfo: expected eContentType and eContent');
  const type = readOid(bytes, typeTlv, 'eContentType');
  if (type !== OID.tstInfo) throw new der.DerError(`eContentType: expected id-ct-TSTInfo, found ${type}`);
  const [octets, more] = children(bytes, expectTag(explicit, contextTag(0, true), 'eContent'), 'eContent');
  if (!octets || more) throw new der.DerError('eContent: expected one OCTET STRING');
  return value(bytes, expectTag(octets, TAG.OCTET_STRING, 'eContent'));
}

function decodeCertificates(bytes: Uint8Array, set: der.Tlv): Certificate[] {
  const items = children(bytes, set, 'SignedData certificates');
  if (items.length > MAX_CERTIFICATES) throw new der.DerError(`SignedData: more than ${MAX_CERTIFICATES} certificates`);
  return items.map((item, i) => {
    // Only plain X.509 certificates: the other CertificateChoices are obsolete.
    expectTag(item, TAG.SEQUENCE, 'SignedData certificate');
    return parseCertificate(raw(bytes, item), `embedded certificate ${i}`);
  });
}
