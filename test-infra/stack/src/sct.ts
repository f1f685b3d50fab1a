// RFC 6962 section 3.2: the signed certificate timestamp for a precertificate, TLS-encoded.
import { concatBytes } from '@sigil/encoding';
import { invalid } from './checks.js';

const SCT_VERSION_V1 = 0;
const SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP = 0;
const ENTRY_TYPE_PRECERT = 1;
const HASH_SHA256 = 4;
const SIGNATURE_ECDSA = 3;

export interface PrecertificateEntry {
  /** Milliseconds since the epoch. */
  timestamp: bigint;
  /** SHA-256 of the issuing CA's SPKI. */
  issuerKeyHash: Uint8Array;
  /** The final certificate's TBS without the SCT list extension. */
  tbs: Uint8Array;
}

/** The bytes the CT log signs: digitally-signed struct over a precert_entry, no extensions. */
export function precertificateSignedData({ timestamp, issuerKeyHash, tbs }: PrecertificateEntry): Uint8Array {
  return concatBytes(
    Uint8Array.of(SCT_VERSION_V1, SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP),
    uint(timestamp, 8),
    uint(BigInt(ENTRY_TYPE_PRECERT), 2),
    issuerKeyHash,
    lengthPrefixed(tbs, 3),
    uint(0n, 2),
  );
}

/** One SCT: version, log ID, timestamp, no extensions, ECDSA-SHA256 DER signature. */
export function encodeSct(logId: Uint8Array, timestamp: bigint, signature: Uint8Array): Uint8Array {
  return concatBytes(
    Uint8Array.of(SCT_VERSION_V1),
    logId,
    uint(timestamp, 8),
    uint(0n, 2),
    Uint8Array.of(HASH_SHA256, SIGNATURE_ECDSA),
    lengthPrefixed(signature, 2),
  );
}

/** SignedCertificateTimestampList: u16 total length, then each SCT with its u16 length. */
export function encodeSctList(scts: Uint8Array[]): Uint8Array {
  return lengthPrefixed(concatBytes(...scts.map((sct) => lengthPrefixed(sct, 2))), 2);
}

function lengthPrefixed(bytes: Uint8Array, size: number): Uint8Array {
  return concatBytes(uint(BigInt(bytes.length), size), bytes);
}

function uint(value: bigint, size: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(size * 8)) invalid(`TLS encoding: ${value} does not fit in ${size} bytes`);
  const out = new Uint8Array(size);
  for (let i = size - 1, v = value; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}
