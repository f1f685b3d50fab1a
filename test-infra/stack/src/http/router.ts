import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Named groups of the route's path pattern. */
  params: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  /** Matched against the whole path; named groups become params. */
  path: RegExp;
  handle(context: RouteContext): Promise<void> | void;
}

/** One request listener for many services: the first route whose path and method match. */
export function createRouter(routes: readonly Route[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const onPath = routes.filter((r) => r.path.test(url.pathname));
      if (onPath.length === 0) throw new HttpError(404, `no such endpoint: ${url.pathname}`);
      const route = onPath.find((r) => r.method === req.method);
      if (!route) throw new HttpError(405, `${url.pathname}: method ${req.method} not allowed`, { allow: onPath.map((r) => r.method).join(', ') });
      await route.handle({ req, res, url, params: { ...route.path.exec(url.pathname)!.groups } });
    } catch (err) {
      sendError(res, err);
    }
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendBytes(res: ServerResponse, status: number, contentType: string, body: Uint8Array | string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.length });
  res.end(body);
}

/** Errors as `{code, message}` (Fulcio's and Rekor's shape) plus `reason` when given; anything unexpected is a 500 without internals. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof HttpError) {
    sendJson(res, err.status, { code: err.status, message: err.message, ...(err.reason ? { reason: err.reason } : {}) }, err.headers);
    return;
  }
  console.error('stack: internal error:', err);
  sendJson(res, 500, { code: 500, message: 'internal error' });
}
