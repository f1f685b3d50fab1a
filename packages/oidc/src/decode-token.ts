import { typeOf } from '@sigil/encoding';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { OidcError } from './errors.js';
import { MALFORMED_TOKEN_HINT } from './hints.js';
import { show, type Claims } from './claims.js';

/** Real ID tokens are one or two kilobytes; anything this long is not one. */
export const MAX_TOKEN_LENGTH = 64 * 1024;

export interface DecodedToken {
  /** The JOSE protected header (`alg`, `kid`, `typ`, ...). */
  header: Claims;
  /** The claims set, unverified: the pre-flight reads it, Fulcio verifies it. */
  claims: Claims;
}

const BASE64URL_PART = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes a compact JWS identity token without verifying its signature. Errors describe
 * the token's shape (parts, lengths) and never include any of it.
 */
export function decodeToken(token: string): DecodedToken {
  if (typeof token !== 'string') malformed(`expected the token as a string, found ${typeOf(token)}`);
  if (token.length > MAX_TOKEN_LENGTH) malformed(`expected at most ${MAX_TOKEN_LENGTH} characters, found ${token.length}`);
  const parts = token.split('.');
  if (parts.length === 5) malformed('found an encrypted token (JWE, five parts): Fulcio needs a signed one (JWS, three parts)');
  if (parts.length !== 3) malformed(`expected three parts joined by dots (header.payload.signature), found ${parts.length}`);
  const badPart = parts.findIndex((part) => !BASE64URL_PART.test(part));
  if (badPart >= 0) malformed(`the ${PART_NAMES[badPart]} holds characters outside the base64url alphabet`);
  if (parts[2] === '') malformed('the signature part is empty: the token is unsigned');

  let header: Claims;
  let claims: Claims;
  try {
    header = decodeProtectedHeader(token) as Claims;
    claims = decodeJwt(token) as Claims;
  } catch (err) {
    // jose's messages are fixed sentences about the structure; they never quote the token.
    malformed(err instanceof joseErrors.JOSEError ? err.message : 'unreadable header or payload');
  }
  if (typeof header.alg !== 'string' || header.alg === 'none') {
    malformed(`expected a signature algorithm in the header, found alg ${show(header.alg)}`);
  }
  return { header, claims };
}

const PART_NAMES = ['header', 'payload', 'signature'];

function malformed(reason: string): never {
  throw new OidcError('OIDC_TOKEN_MALFORMED', `identity token: not a signed JWT: ${reason}`, { hint: MALFORMED_TOKEN_HINT });
}
