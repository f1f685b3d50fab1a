import { HttpError } from '../http/index.js';

/** Why the local TSA refused a request: the `reason` field of its JSON error. */
export type TsaReason =
  | 'TSA_CONTENT_TYPE_UNSUPPORTED' // 415: neither application/timestamp-query nor application/json
  | 'TSA_REQUEST_MALFORMED' // not a DER TimeStampReq, or JSON without a usable artifactHash, nonce, ...
  | 'TSA_HASH_UNSUPPORTED' // an imprint hash other than SHA-256, SHA-384 or SHA-512 (SHA-1 is refused as weak)
  | 'TSA_DIGEST_LENGTH' // the imprint's length does not match its hash algorithm
  | 'TSA_POLICY_UNACCEPTED' // a requested policy other than the TSA's
  | 'TSA_EXTENSION_UNACCEPTED'; // a request carrying extensions

export function refuse(reason: TsaReason, message: string): never {
  throw new HttpError(reason === 'TSA_CONTENT_TYPE_UNSUPPORTED' ? 415 : 400, message, {}, reason);
}
