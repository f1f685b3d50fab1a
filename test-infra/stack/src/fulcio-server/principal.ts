// From a verified token to what the certificate says (PROTOCOLS.md 1.4): the SAN, the
// issuer and the extensions, and the challenge the proof of possession must sign.
import type { JWTPayload } from 'jose';
import { StackError } from '../errors.js';
import { gitlabClaimsToFulcio, stringify, type FulcioIdentity } from '../gitlab.js';
import { githubClaimsToFulcio } from './github.js';
import { refuse } from './reasons.js';
import type { FulcioIssuer } from './token-verifier.js';

export interface Principal {
  /** The principal's name, which the proof of possession signs: `sub`, or `email` for e-mail issuers. */
  challenge: string;
  /** `sub` or `email`: named in messages and in /api/v2/configuration. */
  challengeClaim: 'sub' | 'email';
  identity: FulcioIdentity;
}

// Loose on purpose, like Fulcio's govalidator check: one @, something on both sides.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function principalOf(claims: JWTPayload, issuer: FulcioIssuer): Principal {
  if (issuer.type === 'email') return emailPrincipal(claims);
  if (typeof claims.sub !== 'string' || claims.sub === '') refuse('FULCIO_TOKEN_CLAIM_INVALID', `identity token: claim "sub" must be a non-empty string, found ${JSON.stringify(claims.sub)}`);
  let identity: FulcioIdentity;
  try {
    identity =
      issuer.type === 'gitlab'
        ? gitlabClaimsToFulcio(claims as JWTPayload & { iss: string }, issuer.templateUrl ? { url: issuer.templateUrl } : {})
        : githubClaimsToFulcio(claims, issuer.templateUrl ? { url: issuer.templateUrl } : {});
  } catch (err) {
    if (err instanceof StackError && err.code === 'STACK_CLAIM_MISSING') {
      refuse('FULCIO_TOKEN_CLAIM_MISSING', `identity token: missing claim "${String(err.details?.claim)}", which Fulcio's ${issuer.type} template needs`);
    }
    throw err;
  }
  try {
    new URL(identity.san.value);
  } catch {
    refuse('FULCIO_TOKEN_CLAIM_INVALID', `identity token: the claims make the SAN "${identity.san.value}", which is not a URI`);
  }
  return { challenge: claims.sub, challengeClaim: 'sub', identity };
}

function emailPrincipal(claims: JWTPayload): Principal {
  const email = claims.email;
  if (email === undefined) refuse('FULCIO_TOKEN_CLAIM_MISSING', 'identity token: missing claim "email", which e-mail issuers need');
  if (typeof email !== 'string' || !EMAIL.test(email)) refuse('FULCIO_TOKEN_CLAIM_INVALID', `identity token: claim "email" must be an e-mail address, found ${JSON.stringify(email)}`);
  if (claims.email_verified !== true) {
    refuse('FULCIO_TOKEN_EMAIL_UNVERIFIED', `identity token: expected "email_verified": true, found ${JSON.stringify(claims.email_verified) ?? 'no such claim'}`);
  }
  return {
    challenge: email,
    challengeClaim: 'email',
    identity: { san: { type: 'email', value: email }, issuer: claims.iss!, extensions: { tokenSubject: stringify(claims.sub) ?? '' } },
  };
}
