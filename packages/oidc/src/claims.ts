import { typeOf } from '@sigil/encoding';
import { OidcError } from './errors.js';
import { claimsHint } from './hints.js';
import type { IssuerType } from './issuer-type.js';

export type Claims = Readonly<Record<string, unknown>>;

const SHOWN_LENGTH = 120;

/** A claim value for a message: JSON, cut short, since claims can be as long as the token allows. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeOf(value);
  } catch {
    text = typeOf(value);
  }
  return text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}...` : text;
}

/** A claim that must be a non-empty string. */
export function requireString(claims: Claims, name: string, issuerType: IssuerType, why: string): string {
  const value = claims[name];
  if (value === undefined || value === null || value === '') throw missingClaim(name, issuerType, why);
  if (typeof value !== 'string') {
    throw new OidcError('OIDC_CLAIM_INVALID', `identity token: the ${name} claim must be a string, found ${typeOf(value)}`, {
      details: { claim: name, issuerType, found: typeOf(value) },
      hint: claimsHint(issuerType),
    });
  }
  return value;
}

export function missingClaim(name: string, issuerType: IssuerType, why: string): OidcError {
  return new OidcError('OIDC_CLAIM_MISSING', `identity token: the ${name} claim is missing, and ${why}`, {
    details: { claim: name, issuerType },
    hint: claimsHint(issuerType),
  });
}

/** A NumericDate claim (seconds since the epoch), if present. */
export function optionalNumericDate(claims: Claims, name: 'exp' | 'nbf' | 'iat', issuerType: IssuerType): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new OidcError('OIDC_CLAIM_INVALID', `identity token: the ${name} claim must be a number of seconds since 1970, found ${show(value)}`, {
      details: { claim: name, issuerType, found: typeOf(value) },
      hint: claimsHint(issuerType),
    });
  }
  return value;
}
