import { describeError } from '@sigil/errors';
import { bytesEqual, encodeHex } from '@sigil/encoding';
import { CryptoError, importPublicKey, type PublicKey } from '@sigil/crypto';
import {
  children,
  contextTag,
  DerError,
  expectTag,
  raw,
  readBitString,
  readBoolean,
  readIntegerBytes,
  readOid,
  readSmallInteger,
  readTime,
  readTlv,
  readWhole,
  TAG,
  value,
  type Tlv,
} from './der.js';
import { X509Error } from './errors.js';
import { formatName } from './name.js';
import { OID } from './oids.js';
import {
  decodeAuthorityKeyId,
  decodeBasicConstraints,
  decodeExtendedKeyUsage,
  decodeKeyUsage,
  decodeSubjectAltNames,
  decodeSubjectKeyId,
  type BasicConstraints,
  type KeyUsage,
  type SubjectAltName,
} from './standard-extensions.js';

export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue contents (what the OCTET STRING wraps). */
  readonly value: Uint8Array;
}

export interface Certificate {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  /** 1 or 3 (2 is accepted but never seen). */
  readonly version: number;
  /** Lowercase hex of the serial's two's-complement content bytes. */
  readonly serialNumber: string;
  /** The signature algorithm OID (equal inside and outside the TBS). */
  readonly signatureAlgorithm: string;
  /** The AlgorithmIdentifier's parameters as DER, when present (RSA-PSS needs them). */
  readonly signatureAlgorithmParams: Uint8Array | undefined;
  readonly signatureValue: Uint8Array;
  /** Raw Name DER, compared byte for byte when chaining. */
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  /** Readable names, for messages. */
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spkiDer: Uint8Array;
  /** Imported on first use; throws X509Error X509_UNSUPPORTED_ALGORITHM for keys Sigil does not verify with. */
  readonly publicKey: PublicKey;
  readonly basicConstraints: BasicConstraints | undefined;
  readonly keyUsage: ReadonlySet<KeyUsage> | undefined;
  readonly extendedKeyUsage: readonly string[] | undefined;
  readonly subjectAltNames: readonly SubjectAltName[];
  readonly subjectKeyId: Uint8Array | undefined;
  readonly authorityKeyId: Uint8Array | undefined;
  readonly extensions: readonly CertificateExtension[];
}

// Fulcio leaves are about 2 KB; anything near this is not a certificate Sigstore issues.
const MAX_CERTIFICATE_SIZE = 64 * 1024;

/** Parses one DER certificate; throws X509Error X509_MALFORMED on anything else. */
export function parseCertificate(der: Uint8Array, what = 'certificate'): Certificate {
  if (!(der instanceof Uint8Array)) {
    throw new X509Error('X509_MALFORMED', `${what}: expected DER bytes, found ${typeof der}`);
  }
  if (der.length > MAX_CERTIFICATE_SIZE) {
    throw new X509Error('X509_MALFORMED', `${what}: expected at most ${MAX_CERTIFICATE_SIZE} bytes, found ${der.length}`);
  }
  try {
    return readCertificate(der.slice(), what);
  } catch (err) {
    if (err instanceof X509Error) throw err;
    throw new X509Error('X509_MALFORMED', `${what}: not a valid DER X.509 certificate: ${describeError(err)}`, { cause: err });
  }
}

function readCertificate(der: Uint8Array, what: string): Certificate {
  const [tbs, outerAlg, sigValue, extra] = children(der, readWhole(der, TAG.SEQUENCE, 'certificate'), 'certificate');
  if (!tbs || !outerAlg || !sigValue || extra) throw new DerError('certificate: expected tbsCertificate, signatureAlgorithm, signatureValue');
  expectTag(tbs, TAG.SEQUENCE, 'tbsCertificate');

  const fields = children(der, tbs, 'tbsCertificate');
  let i = 0;
  const next = (name: string): Tlv => {
    const field = fields[i++];
    if (!field) throw new DerError(`tbsCertificate: missing ${name}`);
    return field;
  };
  let field = next('serialNumber');
  let version = 1;
  if (field.tag === contextTag(0, true)) {
    const [versionInt, more] = children(der, field, 'version');
    if (!versionInt || more) throw new DerError('version: expected one INTEGER');
    version = readSmallInteger(der, versionInt, 'version') + 1;
    if (version > 3) throw new DerError(`version: unknown version ${version}`);
    field = next('serialNumber');
  }
  const serialNumber = encodeHex(readIntegerBytes(der, field, 'serialNumber'));

  const innerAlg = expectTag(next('signature'), TAG.SEQUENCE, 'signature algorithm');
  if (!bytesEqual(raw(der, innerAlg), raw(der, expectTag(outerAlg, TAG.SEQUENCE, 'signatureAlgorithm')))) {
    throw new DerError('the signature algorithm inside the TBS differs from the one outside it');
  }
  const [algOid, algParams, algExtra] = children(der, innerAlg, 'signature algorithm');
  if (!algOid || algExtra) throw new DerError('signature algorithm: expected an OID and optional parameters');
  const signature = readBitString(der, sigValue, 'signatureValue');
  if (signature.unused !== 0) throw new DerError('signatureValue: unused bits in a signature');

  const issuer = expectTag(next('issuer'), TAG.SEQUENCE, 'issuer');
  const [notBefore, notAfter, validityExtra] = children(der, expectTag(next('validity'), TAG.SEQUENCE, 'validity'), 'validity');
  if (!notBefore || !notAfter || validityExtra) throw new DerError('validity: expected notBefore and notAfter');
  const subject = expectTag(next('subject'), TAG.SEQUENCE, 'subject');

  const spki = expectTag(next('subjectPublicKeyInfo'), TAG.SEQUENCE, 'subjectPublicKeyInfo');
  const [keyAlg, keyBits, keyExtra] = children(der, spki, 'subjectPublicKeyInfo');
  if (!keyAlg || !keyBits || keyExtra) throw new DerError('subjectPublicKeyInfo: expected an algorithm and a key');
  expectTag(keyAlg, TAG.SEQUENCE, 'subjectPublicKeyInfo algorithm');
  readBitString(der, keyBits, 'subjectPublicKey');
  const spkiDer = raw(der, spki);

  let extensions: CertificateExtension[] = [];
  for (field = fields[i++]!; field; field = fields[i++]!) {
    if (field.tag === contextTag(1, false) || field.tag === contextTag(2, false)) continue; // unique IDs
    if (field.tag !== contextTag(3, true) || i !== fields.length) throw new DerError('tbsCertificate: unexpected trailing field');
    if (version !== 3) throw new DerError(`extensions in a version ${version} certificate`);
    extensions = readExtensions(der, field);
  }
  const decoded = (oid: string) => extensions.find((ext) => ext.oid === oid)?.value;
  const orUndefined = <T>(bytes: Uint8Array | undefined, decode: (bytes: Uint8Array) => T): T | undefined => (bytes ? decode(bytes) : undefined);

  const parsed: CertificateFields = {
    der,
    tbsDer: raw(der, tbs),
    version,
    serialNumber,
    signatureAlgorithm: readOid(der, algOid, 'signature algorithm'),
    signatureAlgorithmParams: algParams && raw(der, algParams),
    signatureValue: signature.bits,
    issuerDer: raw(der, issuer),
    subjectDer: raw(der, subject),
    issuer: formatName(der, issuer),
    subject: formatName(der, subject),
    notBefore: readTime(der, notBefore, 'notBefore'),
    notAfter: readTime(der, notAfter, 'notAfter'),
    spkiDer,
    basicConstraints: orUndefined(decoded(OID.basicConstraints), decodeBasicConstraints),
    keyUsage: orUndefined(decoded(OID.keyUsage), decodeKeyUsage),
    extendedKeyUsage: orUndefined(decoded(OID.extKeyUsage), decodeExtendedKeyUsage),
    subjectAltNames: orUndefined(decoded(OID.subjectAltName), decodeSubjectAltNames) ?? [],
    subjectKeyId: orUndefined(decoded(OID.subjectKeyIdentifier), decodeSubjectKeyId),
    authorityKeyId: orUndefined(decoded(OID.authorityKeyIdentifier), decodeAuthorityKeyId),
    extensions,
  };
  return new ParsedCertificate(parsed, what);
}

type CertificateFields = Omit<Certificate, 'publicKey'>;

// The fields, plus a prototype getter that imports the key on first use. (An accessor in an
// object literal makes every certificate a slow-mode object: parsing took three times longer.)
interface ParsedCertificate extends CertificateFields {}
class ParsedCertificate implements Certificate {
  #publicKey: PublicKey | undefined;
  readonly #what: string;

  constructor(fields: CertificateFields, what: string) {
    Object.assign(this, fields);
    this.#what = what;
  }

  get publicKey(): PublicKey {
    return (this.#publicKey ??= importCertificateKey(this.spkiDer, this.#what));
  }
}

function importCertificateKey(spki: Uint8Array, what: string): PublicKey {
  try {
    return importPublicKey(spki, `${what} public key`);
  } catch (err) {
    const code = err instanceof CryptoError && err.code === 'CRYPTO_UNSUPPORTED_KEY' ? 'X509_UNSUPPORTED_ALGORITHM' : 'X509_MALFORMED';
    throw new X509Error(code, `${what}: ${describeError(err)}`, { cause: err });
  }
}

const MAX_EXTENSIONS = 64;

function readExtensions(der: Uint8Array, explicit: Tlv): CertificateExtension[] {
  const [list, more] = children(der, explicit, 'extensions');
  if (!list || more) throw new DerError('extensions: expected one SEQUENCE');
  expectTag(list, TAG.SEQUENCE, 'extensions');
  const extensions: CertificateExtension[] = [];
  const seen = new Set<string>();
  // Walked TLV by TLV rather than through children(): a Fulcio leaf has ~27 extensions and
  // this loop is most of the parse.
  for (let offset = list.valueStart; offset < list.end; ) {
    if (extensions.length === MAX_EXTENSIONS) throw new DerError(`extensions: more than ${MAX_EXTENSIONS}`);
    const item = expectTag(readTlv(der, offset, list.end), TAG.SEQUENCE, 'extension');
    offset = item.end;
    const idTlv = readTlv(der, item.valueStart, item.end);
    const oid = readOid(der, idTlv, 'extnID');
    if (seen.has(oid)) throw new DerError(`extension ${oid} appears twice`);
    seen.add(oid);
    let next = readTlv(der, idTlv.end, item.end);
    let critical = false;
    if (next.tag === TAG.BOOLEAN) {
      critical = readBoolean(der, next, 'extension critical flag');
      next = readTlv(der, next.end, item.end);
    }
    expectTag(next, TAG.OCTET_STRING, 'extension extnValue');
    if (next.end !== item.end) throw new DerError('extension: unexpected trailing field');
    extensions.push({ oid, critical, value: value(der, next) });
  }
  if (extensions.length === 0) throw new DerError('extensions: empty');
  return extensions;
}
