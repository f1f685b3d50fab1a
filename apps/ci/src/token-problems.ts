import { OidcError, preflight, SIGSTORE_ID_TOKEN, type OidcErrorCode } from '@sigil/oidc';
import { type Environment, variable } from './environment.js';
import { audienceFix, CLOCK_FIX, expiredFix, foreignTokenFix, idTokensFix, ownConfigFix } from './fixes.js';
import type { Problem, ProblemCode } from './problem.js';

const FROM_OIDC: Partial<Record<OidcErrorCode, ProblemCode>> = {
  OIDC_TOKEN_MALFORMED: 'CI_TOKEN_MALFORMED',
  OIDC_AUDIENCE: 'CI_TOKEN_AUDIENCE',
  OIDC_EXPIRED: 'CI_TOKEN_EXPIRED',
  OIDC_NOT_YET_VALID: 'CI_TOKEN_NOT_YET_VALID',
  OIDC_GITLAB_CONFIG_NOT_IN_PROJECT: 'CI_TOKEN_NO_CONFIG_REF',
};

/**
 * SIGSTORE_ID_TOKEN checked by @sigil/oidc's pre-flight (what Fulcio would refuse): present,
 * audience sigstore, within its validity window, and carrying the claims a GitLab certificate
 * needs. The pre-flight stops at the first failure, so at most one problem comes back.
 */
export function tokenProblems(env: Environment, job: string, now: Date): Problem[] {
  const token = variable(env, SIGSTORE_ID_TOKEN)?.trim();
  if (!token) {
    return [{ code: 'CI_TOKEN_MISSING', message: `${SIGSTORE_ID_TOKEN} is not set: the job declares no ID token with that name`, fix: idTokensFix(job) }];
  }
  try {
    preflight(token, { now });
    return [];
  } catch (err) {
    if (!(err instanceof OidcError)) throw err;
    const code = FROM_OIDC[err.code] ?? 'CI_TOKEN_CLAIMS';
    return [{ code, message: `${SIGSTORE_ID_TOKEN}: ${err.message}`, fix: fixFor(code, job, err) }];
  }
}

function fixFor(code: ProblemCode, job: string, err: OidcError): string {
  switch (code) {
    case 'CI_TOKEN_AUDIENCE':
      return audienceFix(job, String(err.details?.found ?? 'missing'));
    case 'CI_TOKEN_EXPIRED':
      return expiredFix(job);
    case 'CI_TOKEN_NOT_YET_VALID':
      return CLOCK_FIX;
    case 'CI_TOKEN_NO_CONFIG_REF':
      return ownConfigFix(job);
    default:
      return foreignTokenFix(job);
  }
}
