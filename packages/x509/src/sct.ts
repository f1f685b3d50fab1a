import { bytesEqual, concatBytes, encodeHex } from '@sigil/encoding';
import { sha256, verifySignature, type PublicKey } from '@sigil/crypto';
import { describeError } from '@sigil/errors';
import type { Certificate } from './certificate.js';
import { children, contextTag, DerError, expectTag, header, raw, readOid, readWhole, TAG, type Tlv } from './der.js';
import { X509Error } from './errors.js';
import { OID } from './oids.js';

/** A CT log key from the trusted root (`ctlogs[]`). */
export interface CtLog {
  /** SHA-256 of the log's SPKI. */
  readonly logId: Uint8Array;
  /** Undefined for a key Sigil cannot use; read only for a log that an SCT names. */
  readonly publicKey: PublicKey | undefined;
  /** When the key may have signed. No start: the key is not valid at all. */
  readonly validFor: { readonly start?: Date | undefined; readonly end?: Date | undefined };
}

export type SctStatus =
  | 'verified'
  | 'unknown-log'
  | 'outside-log-validity'
  | 'signature-invalid'
  /** An SCT version or signature scheme RFC 6962 clients skip. */
  | 'unsupported';

export interface SctResult {
  readonly logId: Uint8Array;
  /** The SCT's timestamp; undefined only for an SCT of an unknown version. */
  readonly timestamp: Date | undefined;
  readonly status: SctStatus;
}

export interface SctVerification {
  /** Distinct ids of the logs with at least one verified SCT. */
  readonly verifiedLogIds: Uint8Array[];
  readonly results: SctResult[];
}

interface Sct {
  readonly version: number;
  readonly logId: Uint8Array;
  readonly timestamp?: bigint;
  readonly extensions?: Uint8Array;
  readonly hashAlgorithm?: number;
  readonly signatureAlgorithm?: number;
  readonly signature?: Uint8Array;
}

const MAX_SCTS = 64;
const ENTRY_TYPE_PRECERT = 1;

/**
 * Verifies the SCTs embedded in `leaf` (RFC 6962 section 3.3) against `logs`. `issuer` is
 * the certificate that issued the leaf (found by path validation): its key hash is part of
 * what the log signed. SCTs from unknown logs, outside their key's validity, or with bad
 * signatures do not count. A malformed SCT list throws X509Error X509_SCT_MALFORMED.
 */
export function verifyEmbeddedScts(leaf: Certificate, issuer: Certificate, logs: readonly CtLog[]): SctVerification {
  const extension = leaf.extensions.find((ext) => ext.oid === OID.sctList);
  if (!extension) return { verifiedLogIds: [], results: [] };
  const scts = parseSctList(extension.value);
  const tbs = precertificateTbs(leaf);
  const issuerKeyHash = sha256(issuer.spkiDer);
  const results = scts.map((sct) => verifySct(sct, tbs, issuerKeyHash, logs));
  const verifiedLogIds: Uint8Array[] = [];
  for (const result of results) {
    if (result.status === 'verified' && !verifiedLogIds.some((id) => bytesEqual(id, result.logId))) verifiedLogIds.push(result.logId);
  }
  return { verifiedLogIds, results };
}

function verifySct(sct: Sct, tbs: Uint8Array, issuerKeyHash: Uint8Array, logs: readonly CtLog[]): SctResult {
  if (sct.version !== 0 || sct.timestamp === undefined) return { logId: sct.logId, timestamp: undefined, status: 'unsupported' };
  const timestamp = new Date(Number(sct.timestamp));
  const outcome = (status: SctStatus): SctResult => ({ logId: sct.logId, timestamp, status });
  const log = logs.find((candidate) => bytesEqual(candidate.logId, sct.logId) && candidate.publicKey !== undefined);
  if (!log) return outcome('unknown-log');
  const { start, end } = log.validFor;
  if (!start || timestamp.getTime() < start.getTime() || (end && timestamp.getTime() > end.getTime())) return outcome('outside-log-validity');
  const scheme = (sct.hashAlgorithm! << 8) | sct.signatureAlgorithm!;
  const signed = signedData(sct, tbs, issuerKeyHash);
  const key = log.publicKey!;
  let ok: boolean;
  // TLS SignatureAndHashAlgorithm: sha256 (4) with rsa (1) or ecdsa (3); ed25519 is 0x0807.
  if (scheme === 0x0403 && key.kind === 'ecdsa') ok = verifySignature(key, signed, sct.signature!, { hash: 'sha256' });
  else if (scheme === 0x0401 && key.kind === 'rsa') ok = verifySignature(key, signed, sct.signature!, { hash: 'sha256', rsaPadding: 'pkcs1' });
  else if (scheme === 0x0807 && key.kind === 'ed25519') ok = verifySignature(key, signed, sct.signature!);
  else return outcome(scheme === 0x0403 || scheme === 0x0401 || scheme === 0x0807 ? 'signature-invalid' : 'unsupported');
  return outcome(ok ? 'verified' : 'signature-invalid');
}

/** RFC 6962 section 3.2: the digitally-signed struct for a precertificate entry. */
function signedData(sct: Sct, tbs: Uint8Array, issuerKeyHash: Uint8Array): Uint8Array {
  const head = new Uint8Array(12);
  const view = new DataView(head.buffer);
  view.setUint8(0, sct.version);
  view.setUint8(1, 0); // signature_type: certificate_timestamp
  view.setBigUint64(2, sct.timestamp!);
  view.setUint16(10, ENTRY_TYPE_PRECERT);
  const tbsLength = Uint8Array.of(tbs.length >> 16, (tbs.length >> 8) & 0xff, tbs.length & 0xff);
  const extensions = sct.extensions!;
  const extLength = Uint8Array.of(extensions.length >> 8, extensions.length & 0xff);
  return concatBytes(head, issuerKeyHash, tbsLength, tbs, extLength, extensions);
}

function parseSctList(extnValue: Uint8Array): Sct[] {
  try {
    const octets = readWhole(extnValue, TAG.OCTET_STRING, 'SCT list');
    const list = extnValue.subarray(octets.valueStart, octets.end);
    const reader = new TlsReader(list);
    const body = new TlsReader(reader.vector(2));
    reader.end();
    const scts: Sct[] = [];
    while (!body.done()) {
      if (scts.length >= MAX_SCTS) throw new DerError(`more than ${MAX_SCTS} SCTs`);
      const bytes = body.vector(2);
      if (bytes.length === 0) throw new DerError('empty SCT');
      scts.push(parseSct(bytes));
    }
    if (scts.length === 0) throw new DerError('empty SCT list');
    return scts;
  } catch (err) {
    throw new X509Error('X509_SCT_MALFORMED', `embedded SCT list: expected an RFC 6962 SignedCertificateTimestampList, ${describeError(err)}`, { cause: err });
  }
}

function parseSct(bytes: Uint8Array): Sct {
  const reader = new TlsReader(bytes);
  const version = reader.u8();
  const logId = reader.bytes(32).slice();
  // Other versions have other layouts: RFC 6962 clients skip them.
  if (version !== 0) return { version, logId };
  const timestamp = reader.u64();
  if (timestamp > 8_640_000_000_000_000n) throw new DerError(`SCT timestamp ${timestamp} out of range`);
  const extensions = reader.vector(2).slice();
  const hashAlgorithm = reader.u8();
  const signatureAlgorithm = reader.u8();
  const signature = reader.vector(2).slice();
  reader.end();
  return { version, logId, timestamp, extensions, hashAlgorithm, signatureAlgorithm, signature };
}

/** The leaf's TBS as it was before the SCT list was added: DER-re-encoded without that extension. */
function precertificateTbs(leaf: Certificate): Uint8Array {
  const tbsDer = leaf.tbsDer;
  try {
    const tbs = readWhole(tbsDer, TAG.SEQUENCE, 'tbsCertificate');
    const fields = children(tbsDer, tbs, 'tbsCertificate');
    const last = fields[fields.length - 1]!;
    expectTag(last, contextTag(3, true), 'extensions');
    const [list] = children(tbsDer, last, 'extensions') as [Tlv];
    const kept = children(tbsDer, list, 'extensions')
      .filter((ext) => readOid(tbsDer, children(tbsDer, ext, 'extension')[0]!, 'extnID') !== OID.sctList)
      .map((ext) => raw(tbsDer, ext));
    const parts = fields.slice(0, -1).map((field) => raw(tbsDer, field));
    if (kept.length > 0) {
      const extensions = wrap(TAG.SEQUENCE, concatBytes(...kept));
      parts.push(wrap(contextTag(3, true), extensions));
    }
    return wrap(TAG.SEQUENCE, concatBytes(...parts));
  } catch (err) {
    // parseCertificate has already walked these bytes: this cannot fail on a parsed certificate.
    throw new X509Error('X509_MALFORMED', `leaf certificate ${encodeHex(sha256(tbsDer)).slice(0, 16)}: ${describeError(err)}`, { cause: err });
  }
}

function wrap(tag: number, content: Uint8Array): Uint8Array {
  return concatBytes(header(tag, content.length), content);
}

/** Reads TLS presentation-language fields (RFC 8446 section 3), bounds-checked. */
class TlsReader {
  #offset = 0;
  constructor(private readonly buf: Uint8Array) {}

  done(): boolean {
    return this.#offset === this.buf.length;
  }

  end(): void {
    if (!this.done()) throw new DerError(`${this.buf.length - this.#offset} trailing bytes`);
  }

  bytes(n: number): Uint8Array {
    if (this.#offset + n > this.buf.length) throw new DerError(`truncated: needed ${n} bytes at offset ${this.#offset}`);
    const out = this.buf.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return out;
  }

  u8(): number {
    return this.bytes(1)[0]!;
  }

  u64(): bigint {
    const b = this.bytes(8);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
  }

  /** A length-prefixed vector with a `lengthBytes`-byte length. */
  vector(lengthBytes: 1 | 2 | 3): Uint8Array {
    let length = 0;
    for (const b of this.bytes(lengthBytes)) length = length * 256 + b;
    return this.bytes(length);
  }
}
