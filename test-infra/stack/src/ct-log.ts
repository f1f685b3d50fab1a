import { sha256 } from '@sigil/crypto';
import { checkBytes, checkDate, checkString, invalid } from './checks.js';
import { generateSigningKey, type SigningKey } from './keys.js';
import { encodeSct, precertificateSignedData } from './sct.js';

export interface CtLogOptions {
  /** Default `https://ctfe.local`. */
  baseUrl?: string;
  /** The log's P-256 key (one kept on disk); default a fresh one. */
  key?: SigningKey;
}

/** A certificate transparency log that only issues SCTs: Fulcio's CT log as a signing key. */
export interface CtLog {
  readonly baseUrl: string;
  readonly key: SigningKey;
  /** SHA-256 of the log's SPKI: the SCT's log_id and the trusted root's logId. */
  readonly logId: Uint8Array;
  /** An SCT (TLS-encoded) for the precertificate whose TBS is `tbs`, issued by the CA key `issuerSpki`. */
  timestampPrecertificate(request: { tbs: Uint8Array; issuerSpki: Uint8Array; time: Date }): Uint8Array;
}

export function createCtLog(options: CtLogOptions = {}): CtLog {
  const baseUrl = checkString(options.baseUrl ?? 'https://ctfe.local', 'CT log baseUrl');
  const key = options.key ?? generateSigningKey('P-256');
  if (key.curve !== 'P-256') invalid(`CT log key: expected ECDSA P-256, found ${key.curve}`);
  return {
    baseUrl,
    key,
    logId: key.keyId,
    timestampPrecertificate({ tbs, issuerSpki, time }) {
      const timestamp = BigInt(checkDate(time, 'SCT time').getTime());
      const signed = precertificateSignedData({
        timestamp,
        issuerKeyHash: sha256(checkBytes(issuerSpki, 'issuer SPKI')),
        tbs: checkBytes(tbs, 'precertificate TBS'),
      });
      return encodeSct(key.keyId, timestamp, key.sign(signed));
    },
  };
}
