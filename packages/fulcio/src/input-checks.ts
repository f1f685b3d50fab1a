import { typeOf } from '@sigil/encoding';
import type { Signer } from '@sigil/keys';
import { FulcioError } from './errors.js';

// JWTs from real issuers are a few KiB; Fulcio's own limit on request bodies is far above this.
const MAX_TOKEN_LENGTH = 64 * 1024;

export function checkToken(token: unknown): string {
  if (typeof token !== 'string' || token.trim() === '' || token.length > MAX_TOKEN_LENGTH) {
    // Its length and type only: the token itself never goes into an error.
    const found = typeof token === 'string' ? `a string of ${token.length} characters` : typeOf(token);
    invalid(`token: expected an OIDC identity token of 1 to ${MAX_TOKEN_LENGTH} characters, found ${found}`);
  }
  return token;
}

export function checkSigner(signer: unknown): Signer {
  const candidate = signer as Partial<Signer> | null | undefined;
  if (typeof candidate !== 'object' || candidate === null || !(candidate.spki instanceof Uint8Array) || typeof candidate.sign !== 'function') {
    invalid(`signer: expected a @sigil/keys Signer (spki, sign), found ${typeOf(signer)}`);
  }
  return candidate as Signer;
}

export function checkChallenge(challenge: unknown): string {
  if (typeof challenge !== 'string' || challenge === '') {
    invalid(`challenge: expected the token's challenge claim (sub, or email) as a non-empty string, found ${challenge === '' ? 'an empty string' : typeOf(challenge)}`, {
      hint: "Pass the token's sub claim, or its email claim for email issuers (preflight() from @sigil/oidc returns it as challenge).",
    });
  }
  return challenge;
}

export function invalid(message: string, options: { hint?: string } = {}): never {
  throw new FulcioError('FULCIO_INPUT_INVALID', message, options);
}
