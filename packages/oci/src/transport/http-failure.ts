import { describeError } from '@sigil/errors';
import { HttpClientError } from '@sigil/http-client';
import { OciError, type OciErrorCode } from '../errors.js';

const CODES: Partial<Record<string, OciErrorCode>> = {
  HTTP_TIMEOUT: 'OCI_TIMEOUT',
  HTTP_NETWORK: 'OCI_NETWORK',
  HTTP_STATUS: 'OCI_REGISTRY_ERROR',
  HTTP_BODY_TOO_LARGE: 'OCI_TOO_LARGE',
  HTTP_REQUEST_INVALID: 'OCI_INPUT_INVALID',
  HTTP_DEADLINE: 'OCI_TIMEOUT',
  HTTP_INSECURE_REFUSED: 'OCI_INSECURE_REFUSED',
};

/** What the HTTP layer failed with, as an OciError; OciErrors pass through. */
export function httpFailure(err: unknown, what: string): OciError {
  if (err instanceof OciError) return err;
  if (!(err instanceof HttpClientError)) return new OciError('OCI_NETWORK', `${what}: the request failed (${describeError(err)})`, { cause: err });
  return new OciError(CODES[err.code] ?? 'OCI_REGISTRY_ERROR', `${what}: ${err.message}`, {
    cause: err,
    details: { httpCode: err.code, ...(err.status === undefined ? {} : { status: err.status }), ...(err.details?.limit === undefined ? {} : { limit: err.details.limit }) },
    hint: err.hint,
  });
}
