import { HttpError } from '../http/index.js';

/**
 * Why the local Fulcio refused a request: the `reason` field of its JSON error, stable for
 * tests and clients. Token problems are 401 (Fulcio's Unauthenticated), request problems 400.
 */
export type FulcioReason =
  | 'FULCIO_REQUEST_INVALID' // the body is not a CreateSigningCertificateRequest: wrong types, no key, or both key forms
  | 'FULCIO_TOKEN_MISSING' // no token in credentials.oidcIdentityToken or Authorization: Bearer
  | 'FULCIO_TOKEN_MALFORMED' // the token is not a compact JWS with a JSON payload
  | 'FULCIO_TOKEN_ISSUER_UNKNOWN' // the token's iss is not among the configured issuers
  | 'FULCIO_ISSUER_DISCOVERY_FAILED' // the issuer's discovery document or JWKS could not be fetched or is wrong
  | 'FULCIO_TOKEN_KEY_UNKNOWN' // no key in the issuer's JWKS matches the token's kid and alg
  | 'FULCIO_TOKEN_ALGORITHM' // the token's alg is not an asymmetric signature algorithm
  | 'FULCIO_TOKEN_SIGNATURE_INVALID' // the token's signature does not verify with the issuer's key
  | 'FULCIO_TOKEN_AUDIENCE' // aud does not equal or contain "sigstore"
  | 'FULCIO_TOKEN_EXPIRED' // exp is past (beyond the allowed skew)
  | 'FULCIO_TOKEN_NOT_YET_VALID' // nbf is ahead (beyond the allowed skew)
  | 'FULCIO_TOKEN_CLAIM_MISSING' // a claim the issuer type needs is absent
  | 'FULCIO_TOKEN_CLAIM_INVALID' // a claim has the wrong type or an unusable value
  | 'FULCIO_TOKEN_EMAIL_UNVERIFIED' // an e-mail issuer's token without email_verified: true
  | 'FULCIO_KEY_MALFORMED' // publicKey.content is neither PEM nor base64 DER SubjectPublicKeyInfo
  | 'FULCIO_KEY_UNSUPPORTED' // a key type or size Fulcio does not certify
  | 'FULCIO_POP_INVALID' // the proof of possession (or the CSR's self-signature) does not verify
  | 'FULCIO_CSR_MALFORMED'; // certificateSigningRequest is not base64 of a PEM or DER PKCS#10 request

const STATUS: Record<FulcioReason, number> = {
  FULCIO_REQUEST_INVALID: 400,
  FULCIO_TOKEN_MISSING: 401,
  FULCIO_TOKEN_MALFORMED: 401,
  FULCIO_TOKEN_ISSUER_UNKNOWN: 401,
  FULCIO_ISSUER_DISCOVERY_FAILED: 401,
  FULCIO_TOKEN_KEY_UNKNOWN: 401,
  FULCIO_TOKEN_ALGORITHM: 401,
  FULCIO_TOKEN_SIGNATURE_INVALID: 401,
  FULCIO_TOKEN_AUDIENCE: 401,
  FULCIO_TOKEN_EXPIRED: 401,
  FULCIO_TOKEN_NOT_YET_VALID: 401,
  FULCIO_TOKEN_CLAIM_MISSING: 401,
  FULCIO_TOKEN_CLAIM_INVALID: 401,
  FULCIO_TOKEN_EMAIL_UNVERIFIED: 401,
  FULCIO_KEY_MALFORMED: 400,
  FULCIO_KEY_UNSUPPORTED: 400,
  FULCIO_POP_INVALID: 400,
  FULCIO_CSR_MALFORMED: 400,
};

export function refuse(reason: FulcioReason, message: string): never {
  throw new HttpError(STATUS[reason], message, {}, reason);
}
