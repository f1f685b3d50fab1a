// @sigil/http-client: HTTP for Sigstore clients: timeouts, retries with backoff, bounded
// bodies, content-type and JSON checks, typed errors that never show secrets.
export { HttpClientError, type HttpClientErrorCode, type HttpClientErrorOptions } from './errors.js';
export { requestJson, requestBytes, type BytesRequestOptions, type JsonRequestOptions } from './request-json.js';
export type { JsonLimitsOption } from './json-limits-option.js';
export type { HttpResponse } from './request.js';
export { requestRaw, type RawRequestOptions } from './request-raw.js';
export { DEFAULTS, type HttpOptions, type RequestOptions, type FetchFunction } from './options.js';
export { JsonCursor, type InvalidField } from './json-cursor.js';
export { serviceBaseUrl, requireSecureTransport } from './service-url.js';
export { isLoopbackHost } from './loopback.js';
export { authorizationSecrets, cleanServerMessage, displayServerUrl, displayUrl, urlOrigin } from './redact.js';
export { createNodeFetch, type TlsOptions } from './node-fetch.js';
