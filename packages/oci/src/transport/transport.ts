import { HttpClientError, requestRaw, type HttpOptions, type HttpResponse } from '@sigil/http-client';
import { Authenticator, type AccessScope, type Authorization } from '../auth/authenticator.js';
import { OciError } from '../errors.js';
import { httpFailure } from './http-failure.js';
import { statusError } from './registry-error.js';
import { checkServerUrl, isLoopback, registryOrigin, resolveServerUrl } from './registry-url.js';

export type RegistryMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH';

export interface RegistryRequest {
  method: RegistryMethod;
  url: URL;
  scope: AccessScope;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** The most a 2xx body may have. */
  maxBytes: number;
  /** For messages: `manifest GET 127.0.0.1:5000/test/hello:v1`. */
  what: string;
}

export interface TransportOptions {
  allowInsecure: boolean;
  http: HttpOptions;
  userAgent: string;
  authenticator: Authenticator;
}

const MAX_REDIRECTS = 5;
const INSECURE_HINT = 'A loopback registry is reached over https unless insecure registries are allowed: pass --allow-insecure-registry for a plain-http one.';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Requests to one client's registries: credentials only to the registry's own origin,
 * the 401 challenge answered once per request, GET and HEAD redirects followed by hand
 * (a bounded number, never to plain http) without credentials when they leave the origin.
 * Every other answer is returned for the operation to judge.
 */
export class Transport {
  /** For loopback registries with allowInsecure: https when it answered, plain http otherwise. */
  private readonly schemes = new Map<string, Promise<'https:' | 'http:'>>();
  private readonly settled = new Map<string, 'https:' | 'http:'>();

  constructor(private readonly options: TransportOptions) {}

  origin(registry: string): URL {
    const origin = registryOrigin(registry, this.options.allowInsecure);
    if (this.settled.get(registry) === 'https:') origin.protocol = 'https:';
    return origin;
  }

  /**
   * As ggcr's ping: a registry that may be spoken to in plain http is tried over https
   * first (GET /v2/), and http is used only when https gets no answer at all.
   */
  private schemeOf(registry: string): Promise<'https:' | 'http:'> {
    let scheme = this.schemes.get(registry);
    if (scheme === undefined) {
      const probe = registryOrigin(registry, false);
      scheme = requestRaw(new URL('v2/', probe), { ...this.options.http, retries: 0, maxResponseBytes: 64 * 1024, headers: { 'user-agent': this.options.userAgent } }).then(
        () => 'https:' as const,
        (err: unknown) => {
          if (err instanceof HttpClientError && err.code === 'HTTP_DEADLINE') throw httpFailure(err, `GET ${probe.href}v2/`);
          return 'http:' as const;
        },
      );
      this.schemes.set(registry, scheme);
    }
    return scheme.then((found) => (this.settled.set(registry, found), found));
  }

  /** The error for an answer the operation did not expect, with secrets blanked. */
  fail(response: HttpResponse<Uint8Array>, what: string): OciError {
    return statusError(response, what, this.options.authenticator.secrets());
  }

  async send(request: RegistryRequest): Promise<HttpResponse<Uint8Array>> {
    const follows = request.method === 'GET' || request.method === 'HEAD';
    let url = request.url;
    const registry = request.scope.registry;
    if (url.protocol === 'http:' && url.origin === registryOrigin(registry, this.options.allowInsecure).origin && (await this.schemeOf(registry)) === 'https:') {
      url = new URL(url.href);
      url.protocol = 'https:';
    }
    for (let hops = 0; ; hops++) {
      const response = await this.sendAuthorized({ ...request, url });
      if (!follows || !REDIRECTS.has(response.status)) return response;
      if (hops >= MAX_REDIRECTS) {
        throw new OciError('OCI_REDIRECT_INVALID', `${request.what}: expected at most ${MAX_REDIRECTS} redirects, found more`, { details: { limit: MAX_REDIRECTS } });
      }
      const location = response.headers.get('location');
      if (location === null) throw new OciError('OCI_REDIRECT_INVALID', `${request.what}: expected a Location with HTTP ${response.status}, found none`);
      url = resolveServerUrl(location, url, `${request.what}: redirect`);
    }
  }

  private async sendAuthorized(request: RegistryRequest): Promise<HttpResponse<Uint8Array>> {
    const { authenticator } = this.options;
    const own = request.url.origin === this.origin(request.scope.registry).origin;
    if (!own) checkServerUrl(request.url, this.options.allowInsecure, request.what);
    let authorization: Authorization | undefined = own ? await authenticator.known(request.scope) : undefined;
    for (let answered = false; ; answered = true) {
      const response = await this.sendOnce(request, authorization);
      if (response.status !== 401) return response;
      // Credentials go to the registry's origin only; a 401 elsewhere (blob storage) is final.
      if (!own || answered) throw authenticator.refusal(request.scope, authorization);
      authorization = await authenticator.answer(request.scope, response.headers.get('www-authenticate'), authorization);
    }
  }

  private async sendOnce(request: RegistryRequest, authorization: Authorization | undefined): Promise<HttpResponse<Uint8Array>> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...request.headers };
    if (authorization !== undefined) headers.authorization = authorization.header;
    try {
      return await requestRaw(request.url, {
        ...this.options.http,
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        maxResponseBytes: request.maxBytes,
        redact: this.options.authenticator.secrets(),
      });
    } catch (err) {
      const failure = httpFailure(err, request.what);
      if (failure.code !== 'OCI_NETWORK' || request.url.protocol !== 'https:' || !isLoopback(request.url.hostname) || this.options.allowInsecure) throw failure;
      // The usual cause: a local test registry that speaks plain http.
      throw new OciError('OCI_NETWORK', failure.message, { cause: failure.cause, details: failure.details, hint: INSECURE_HINT });
    }
  }
}
