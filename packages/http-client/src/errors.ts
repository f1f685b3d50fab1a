import { SigilError, type SigilErrorOptions } from '@sigil/errors';

export type HttpClientErrorCode =
  | 'HTTP_TIMEOUT'
  | 'HTTP_NETWORK'
  | 'HTTP_STATUS'
  | 'HTTP_BODY_TOO_LARGE'
  | 'HTTP_CONTENT_TYPE'
  | 'HTTP_INVALID_JSON'
  | 'HTTP_REQUEST_INVALID'
  /** Plain http to a host that is not loopback: credentials and tokens would travel in clear text. */
  | 'HTTP_INSECURE_REFUSED'
  /** The caller's deadline (a command's --timeout) passed: no further attempt is made. */
  | 'HTTP_DEADLINE';

export interface HttpClientErrorOptions extends SigilErrorOptions {
  status?: number;
  serverMessage?: string;
}

/**
 * What a request ended in. Messages and details name the URL with its credentials and
 * secret-looking query values removed; request bodies and headers never appear.
 */
export class HttpClientError extends SigilError<HttpClientErrorCode> {
  /** The HTTP status of the last answer, when there was one. */
  readonly status: number | undefined;
  /** The `message` of a JSON error body (`{code, message}`, Fulcio's and Rekor's shape), cleaned up. */
  readonly serverMessage: string | undefined;

  constructor(code: HttpClientErrorCode, message: string, options: HttpClientErrorOptions = {}) {
    super(code, message, options);
    this.status = options.status;
    this.serverMessage = options.serverMessage;
  }
}
