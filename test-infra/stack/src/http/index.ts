// The HTTP plumbing every local service shares: routing, bounded bodies, errors.
export { HttpError } from './http-error.js';
export { readBody, readJson, DEFAULT_BODY_LIMIT } from './body.js';
export { createRouter, sendJson, sendBytes, sendError, type Route, type RouteContext } from './router.js';
export { serve, type RunningServer } from './serve.js';
export { localServer, sendRawJson, type LocalServer } from './local-server.js';
