import { OidcError } from './errors.js';
import { decodeToken } from './decode-token.js';
import { missingClaim, optionalNumericDate, requireString, show, type Claims } from './claims.js';
import { audienceHint, expiredHint, GITLAB_CONFIG_HINT } from './hints.js';
import { issuerTypeOf, type IssuerType } from './issuer-type.js';
import { issuerIsKnown } from './known-issuers.js';

export interface PreflightOptions {
  /** The time to check `exp`, `nbf` and `iat` against. Defaults to now. */
  now?: Date;
  /** Tolerated clock difference between this machine and the issuer, in seconds. */
  skewSeconds?: number;
  /** Issuers the target Fulcio accepts (from the signing config); `*` matches one DNS label or path segment, as Fulcio's meta-issuers do. */
  knownIssuers?: readonly string[];
  /** The one issuer the caller expects (`--oidc-issuer`). With `knownIssuers`, either may match. */
  issuer?: string;
  /** The audience Fulcio requires; `sigstore` for every public-good issuer. */
  audience?: string;
}

export interface PreflightResult {
  issuer: string;
  issuerType: IssuerType;
  subject: string;
  /** The subject alternative name Fulcio will write into the certificate, and verifiers must expect. */
  identity: string;
  /** The claim value the proof of possession signs: `email` for email issuers, `sub` for the rest. */
  challenge: string;
  expiresAt: Date;
  claims: Claims;
}

/**
 * Checks, before Fulcio is contacted, what Fulcio would reject with an opaque error:
 * audience, validity window, issuer, and the claims the issuer type needs for a
 * certificate identity. The signature is not verified here; Fulcio does that.
 */
export function preflight(token: string, options: PreflightOptions = {}): PreflightResult {
  const { skewSeconds = 60, audience = 'sigstore' } = options;
  if (!Number.isFinite(skewSeconds) || skewSeconds < 0) {
    throw new OidcError('OIDC_INVALID_ARGUMENT', `pre-flight: skewSeconds must be a number of seconds from 0 up, found ${show(skewSeconds)}`, {
      hint: 'Pass skewSeconds as a whole number of seconds, such as 60, or leave it out.',
    });
  }
  const now = (options.now ?? new Date()).getTime() / 1000;
  if (Number.isNaN(now)) {
    throw new OidcError('OIDC_INVALID_ARGUMENT', 'pre-flight: now is an invalid Date', { hint: 'Pass a valid Date as now, or leave it out to use the clock.' });
  }

  const { claims } = decodeToken(token);
  const issuerType = issuerTypeOf(claims);
  const issuer = requireString(claims, 'iss', issuerType, 'Fulcio picks the issuer to verify the token with from it');
  checkAudience(claims, audience, issuerType);
  const expiresAt = checkValidityWindow(claims, now, skewSeconds, issuerType);
  checkIssuer(issuer, options);
  const subject = requireString(claims, 'sub', issuerType, 'Fulcio needs it to name the signer');
  const { identity, challenge } = certificateIdentity(claims, issuerType, subject);
  return { issuer, issuerType, subject, identity, challenge, expiresAt, claims };
}

function checkAudience(claims: Claims, audience: string, issuerType: IssuerType): void {
  const aud = claims.aud;
  const ok = aud === audience || (Array.isArray(aud) && aud.includes(audience));
  if (ok) return;
  const found = aud === undefined ? 'no aud claim' : `aud ${show(aud)}`;
  throw new OidcError('OIDC_AUDIENCE', `identity token audience: expected '${audience}', found ${found}`, {
    details: { expected: audience, found: aud === undefined ? null : show(aud), issuerType },
    hint: audienceHint(issuerType, audience),
  });
}

function checkValidityWindow(claims: Claims, now: number, skew: number, issuerType: IssuerType): Date {
  const exp = optionalNumericDate(claims, 'exp', issuerType);
  const nbf = optionalNumericDate(claims, 'nbf', issuerType);
  const iat = optionalNumericDate(claims, 'iat', issuerType);
  if (exp === undefined) throw missingClaim('exp', issuerType, 'Fulcio refuses tokens without an expiry');
  if (now - skew >= exp) {
    throw new OidcError('OIDC_EXPIRED', `identity token expired at ${isoTime(exp)}, ${Math.round(now - exp)} s before now (${isoTime(now)}; tolerated skew ${skew} s)`, {
      details: { expiredAt: isoTime(exp), now: isoTime(now), skewSeconds: skew, issuerType },
      hint: expiredHint(issuerType),
    });
  }
  for (const [name, start] of [['nbf', nbf], ['iat', iat]] as const) {
    if (start !== undefined && start > now + skew) {
      const what = name === 'nbf' ? 'is not valid before' : 'was issued at';
      throw new OidcError('OIDC_NOT_YET_VALID', `identity token ${what} ${isoTime(start)}, ${Math.round(start - now)} s after now (${isoTime(now)}; tolerated skew ${skew} s)`, {
        details: { claim: name, [name]: isoTime(start), now: isoTime(now), skewSeconds: skew, issuerType },
        hint: "Check this machine's clock against the issuer's (NTP), or wait until the token becomes valid.",
      });
    }
  }
  return new Date(exp * 1000);
}

function checkIssuer(issuer: string, options: PreflightOptions): void {
  if (options.knownIssuers === undefined && options.issuer === undefined) return;
  const allowed = [...(options.knownIssuers ?? []), ...(options.issuer === undefined ? [] : [options.issuer])];
  if (issuerIsKnown(issuer, allowed)) return;
  const list = allowed.length === 0 ? 'none' : allowed.map((i) => `'${i}'`).join(', ');
  throw new OidcError('OIDC_UNKNOWN_ISSUER', `identity token issuer: expected one of ${list}, found ${show(issuer)}`, {
    details: { expected: allowed, found: show(issuer) },
    hint: `Use a token from one of these issuers, or sign with a Sigstore instance whose Fulcio trusts ${show(issuer)} (its signing config).`,
  });
}

function certificateIdentity(claims: Claims, issuerType: IssuerType, subject: string): { identity: string; challenge: string } {
  switch (issuerType) {
    case 'gitlab': {
      requireString(claims, 'project_path', issuerType, "Fulcio's GitLab certificates record the project");
      if (claims.ci_config_ref_uri === undefined || claims.ci_config_ref_uri === null || claims.ci_config_ref_uri === '') {
        throw gitlabConfigNotInProject(claims);
      }
      const ref = requireString(claims, 'ci_config_ref_uri', issuerType, 'Fulcio names the signer by it');
      return { identity: `https://${ref}`, challenge: subject };
    }
    case 'github': {
      const ref = requireString(claims, 'job_workflow_ref', issuerType, 'Fulcio names the signer by it');
      return { identity: `https://github.com/${ref}`, challenge: subject };
    }
    case 'email': {
      const email = requireString(claims, 'email', issuerType, 'Fulcio names the signer by it');
      if (claims.email_verified !== true) {
        throw new OidcError('OIDC_EMAIL_UNVERIFIED', `identity token: expected email_verified true for ${show(email)}, found ${show(claims.email_verified)}`, {
          details: { claim: 'email_verified', found: show(claims.email_verified) },
          hint: 'Verify the address with the identity provider, or sign in with an account whose email address is verified.',
        });
      }
      return { identity: email, challenge: email };
    }
    case 'other':
      // URI and SPIFFE issuers: Fulcio writes `sub` as the SAN (username issuers add a domain).
      return { identity: subject, challenge: subject };
  }
}

// GitLab leaves ci_config_ref_uri out when the configuration that declared id_tokens is not
// in the project being built (gitlab-org/gitlab#411317), and Fulcio then answers only
// "invalid argument". Say which layout it probably is.
function gitlabConfigNotInProject(claims: Claims): OidcError {
  const facts: string[] = [];
  if (claims.pipeline_source === 'parent_pipeline') facts.push('this job runs in a child pipeline (pipeline_source parent_pipeline)');
  if (claims.pipeline_source === 'merge_request_event') facts.push('this is a merge request pipeline, perhaps from a fork');
  if (claims.ci_config_sha === '') facts.push("ci_config_sha is empty: the configuration is not in this project's repository");
  const found = facts.length > 0 ? `; here ${facts.join(', and ')}` : '';
  return new OidcError(
    'OIDC_GITLAB_CONFIG_NOT_IN_PROJECT',
    'GitLab identity token has no ci_config_ref_uri claim, so Fulcio cannot name the signer: GitLab leaves it out when the CI configuration ' +
      'is not in the project being built (a configuration included from another project, a child pipeline, AutoDevOps, ' +
      `or a merge request pipeline from a fork)${found}`,
    {
      details: { claim: 'ci_config_ref_uri', projectPath: show(claims.project_path), pipelineSource: show(claims.pipeline_source) },
      hint: GITLAB_CONFIG_HINT,
    },
  );
}

function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} s` : date.toISOString();
}
