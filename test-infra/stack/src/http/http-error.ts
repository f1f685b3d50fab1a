/**
 * A request the server refuses: the status and the message the client sees (JSON `{code,
 * message}`), and optionally a stable `reason` (`FULCIO_TOKEN_EXPIRED`) that tests and
 * clients can match instead of the message.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
