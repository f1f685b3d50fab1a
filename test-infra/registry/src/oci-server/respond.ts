import type { IncomingMessage, ServerResponse } from 'node:http';
import { DistributionError } from './distribution-error.js';

/** Headers for a body: HEAD gets the same headers (Content-Length included) and no body. */
export function sendBytes(req: IncomingMessage, res: ServerResponse, status: number, body: Uint8Array, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  sendBytes(req, res, status, Buffer.from(JSON.stringify(value)), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

/** A status with headers and no body (202, 201, 204 of the upload and manifest endpoints). */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-length': '0' });
  res.end();
}

/** What registry 2.8 answers for a path it has no route for (its /referrers/ included). */
export function sendNoRoute(req: IncomingMessage, res: ServerResponse): void {
  sendBytes(req, res, 404, Buffer.from('404 page not found\n'), {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
  });
}

/** A refusal as distribution's error body; anything unexpected is a 500 that shows no internals. */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const refusal =
    err instanceof DistributionError ? err : new DistributionError(500, 'UNKNOWN', 'internal error in the test registry');
  const entry = { code: refusal.code, message: refusal.message, ...(refusal.detail === undefined ? {} : { detail: refusal.detail }) };
  // A body we refused to read is still on the wire: closing the connection keeps it out of the next request.
  const close: Record<string, string> = req.complete ? {} : { connection: 'close' };
  sendJson(req, res, refusal.status, { errors: [entry] }, { ...refusal.headers, ...close });
}
