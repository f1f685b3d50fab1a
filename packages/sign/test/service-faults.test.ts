import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { SigilError } from '@sigil/errors';
import { FulcioError } from '@sigil/fulcio';
import { HttpClientError } from '@sigil/http-client';
import { RekorClientError } from '@sigil/rekor/client';
import { SignError, type SignStep } from '../src/index.js';
import type { Fault, Service } from './fault-proxy.js';
import {
  declaredHugeBody,
  drop,
  dropAfterForwarding,
  echoTokenIn400,
  endlessBody,
  garbageJson,
  hang,
  jsonAnswer,
  slowly,
  stallMidBody,
  status,
  wrongContentType,
} from './faults.js';
import { FAST_HTTP, expectSignFailure, useSignFixture } from './sign-fixture.js';

// Fulcio and Rekor failing in every way a server can: each failure has its typed error, the
// pipeline stops at that service (nothing later is contacted, no bundle), retries turn
// passing trouble (503, 429, a dropped connection) into a signature, and nothing hangs.
const fixture = useSignFixture('faults');


const ATTEMPTS = FAST_HTTP.retries! + 1;
const HANG_HTTP = { ...FAST_HTTP, timeoutMs: 400, retries: 1 };

interface ServiceCase {
  service: Extract<Service, 'fulcio' | 'rekor'>;
  errorClass: typeof FulcioError | typeof RekorClientError;
  httpCode: 'FULCIO_HTTP' | 'REKOR_CLIENT_HTTP';
  invalidCode: 'FULCIO_RESPONSE_INVALID' | 'REKOR_CLIENT_RESPONSE_INVALID';
  /** The step the service's answer completes: a failure never reaches it. */
  step: SignStep;
  /** Requests the pipeline makes after a successful signing, per service. */
  requests: number;
  /** The status of a successful answer. */
  ok: number;
}

const SERVICES: ServiceCase[] = [
  { service: 'fulcio', errorClass: FulcioError, httpCode: 'FULCIO_HTTP', invalidCode: 'FULCIO_RESPONSE_INVALID', step: 'certificate-issued', requests: 1, ok: 200 },
  { service: 'rekor', errorClass: RekorClientError, httpCode: 'REKOR_CLIENT_HTTP', invalidCode: 'REKOR_CLIENT_RESPONSE_INVALID', step: 'entry-logged', requests: 1, ok: 201 },
];

/** The HttpClientError code behind a service error (FulcioError and RekorClientError name it in details). */
function httpCodeOf(err: SigilError): unknown {
  return err.details?.httpCode ?? (err.cause instanceof HttpClientError ? err.cause.code : undefined);
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe.each(SERVICES)('$service failing', ({ service, errorClass, httpCode, invalidCode, step, requests, ok }) => {
  /** Signs with `faults` planned for this service; the signing must fail with `code` (and `http`, the HTTP layer's code). */
  async function expectFailure(faults: Fault[], then: Fault | undefined, code: string, http?: string, httpOptions = FAST_HTTP) {
    fixture().proxy.plan(service, faults, then);
    const token = await fixture().token();
    const { steps, result } = fixture().sign(token, { http: httpOptions });
    const err = await expectSignFailure(result, errorClass as never, code as never, token);
    if (http !== undefined) expect(httpCodeOf(err)).toBe(http);
    expect(steps).not.toContain(step);
    expect(steps).not.toContain('bundle-verified');
    // A failed certificate stops the pipeline before anything is logged.
    if (service === 'fulcio') expect(fixture().proxy.count('rekor')).toBe(0);
    return err as SigilError;
  }

  async function expectSigned(faults: Fault[], httpOptions = FAST_HTTP) {
    fixture().proxy.plan(service, faults);
    const { steps, result } = fixture().sign(await fixture().token(), { http: httpOptions });
    const signed = await result;
    expect(signed.bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    expect(steps.at(-1)).toBe('bundle-verified');
    return signed;
  }

  describe('answers an error status', () => {
    it('400: refused at once, not retried', async () => {
      const err = await expectFailure([], status(400), httpCode, 'HTTP_STATUS');
      expect(err.details).toMatchObject({ status: 400 });
      expect(fixture().proxy.count(service)).toBe(1);
    });

    // Only Fulcio is sent the token.
    it.runIf(service === 'fulcio')('400 whose message repeats the token: the token is blanked out', async () => {
      const err = await expectFailure([], echoTokenIn400, httpCode, 'HTTP_STATUS');
      expect(String(err.details?.serverMessage)).toContain('[redacted]');
    });

    it('401 and 403: refused at once', async () => {
      for (const code of [401, 403]) {
        const err = await expectFailure([], status(code), httpCode, 'HTTP_STATUS');
        expect(err.details).toMatchObject({ status: code });
        expect(fixture().proxy.count(service)).toBe(1);
      }
    });

    it('500 on every attempt: retried, then refused', async () => {
      const err = await expectFailure([], status(500), httpCode, 'HTTP_STATUS');
      expect(err.details).toMatchObject({ status: 500 });
      expect(fixture().proxy.count(service)).toBe(ATTEMPTS);
    });

    it('503, then the real answer: signed after a retry', async () => {
      await expectSigned([status(503)]);
      expect(fixture().proxy.count(service)).toBe(requests + 1);
    });

    it('429 with Retry-After: waits as told, then signs', async () => {
      await expectSigned([status(429, { retryAfter: '1' })], { ...FAST_HTTP, maxRetryDelayMs: 5000 });
      const [limited, retried] = fixture().proxy.hits.filter((hit) => hit.service === service);
      expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(950);
    });

    it('429 on every attempt: refused after the retries', async () => {
      const err = await expectFailure([], status(429, { retryAfter: '0' }), httpCode, 'HTTP_STATUS');
      expect(err.details).toMatchObject({ status: 429 });
      expect(fixture().proxy.count(service)).toBe(ATTEMPTS);
    });
  });

  describe('answers garbage', () => {
    it('JSON cut off: HTTP_INVALID_JSON, not retried', async () => {
      await expectFailure([], garbageJson(ok), httpCode, 'HTTP_INVALID_JSON');
      expect(fixture().proxy.count(service)).toBe(1);
    });

    it('JSON of the wrong shape: the response is invalid', async () => {
      for (const value of [{}, [], null, 'ok', { signedCertificateEmbeddedSct: { chain: { certificates: ['not a certificate'] } } }]) {
        await expectFailure([], jsonAnswer(value, ok), invalidCode);
      }
    });

    it('a login page (text/html): HTTP_CONTENT_TYPE', async () => {
      await expectFailure([], wrongContentType(ok), httpCode, 'HTTP_CONTENT_TYPE');
    });

    it('a body that does not end: HTTP_BODY_TOO_LARGE, reading stops at the limit', async () => {
      const started = performance.now();
      await expectFailure([], endlessBody(ok), httpCode, 'HTTP_BODY_TOO_LARGE');
      expect(performance.now() - started).toBeLessThan(5000);
    });

    it('a declared gigabyte: HTTP_BODY_TOO_LARGE before a byte is read', async () => {
      await expectFailure([], declaredHugeBody(ok), httpCode, 'HTTP_BODY_TOO_LARGE');
    });
  });

  describe('answers slowly or not at all', () => {
    it('never answers: HTTP_TIMEOUT after each attempt times out', async () => {
      const started = performance.now();
      await expectFailure([], hang, httpCode, 'HTTP_TIMEOUT', HANG_HTTP);
      expect(fixture().proxy.count(service)).toBe(2);
      expect(performance.now() - started).toBeLessThan(5000);
    });

    it('stops in the middle of the body: HTTP_TIMEOUT', async () => {
      await expectFailure([], stallMidBody(ok), httpCode, 'HTTP_TIMEOUT', HANG_HTTP);
    });

    it('slow, within the timeout: signed', async () => {
      await expectSigned([slowly(300)]);
    });

    it('slower than the timeout once, then answers: signed on the retry', async () => {
      await expectSigned([hang], HANG_HTTP);
      expect(fixture().proxy.count(service)).toBe(requests + 1);
    });

    it('drops every connection: HTTP_NETWORK after the retries', async () => {
      await expectFailure([], drop, httpCode, 'HTTP_NETWORK');
      expect(fixture().proxy.count(service)).toBe(ATTEMPTS);
    });

    it('drops one connection: signed on the retry', async () => {
      await expectSigned([drop]);
    });

    it('drops the connection after doing the work: the retry still signs', async () => {
      // Rekor answers the retried entry with 409 and its Location; the existing entry is fetched.
      await expectSigned([dropAfterForwarding]);
      if (service === 'rekor') expect(fixture().proxy.hits.filter((hit) => hit.service === 'rekor').map((hit) => hit.method)).toEqual(['POST', 'POST', 'GET']);
    });

    it('is not there (a closed port): HTTP_NETWORK', async () => {
      const url = await closedPortUrl();
      const token = await fixture().token();
      const { steps, result } = fixture().sign(token, service === 'fulcio' ? { fulcioURL: url } : { rekorURL: url });
      const err = await expectSignFailure(result, errorClass as never, httpCode as never, token);
      expect(httpCodeOf(err as SigilError)).toBe('HTTP_NETWORK');
      expect(steps).not.toContain(step);
    });
  });
});

describe('the timestamp authority failing', () => {
  const tsa = () => `${fixture().proxy.url}/api/v1/timestamp`;

  async function expectTimestampFailure(then: Fault, http: string, httpOptions = FAST_HTTP) {
    fixture().proxy.plan('tsa', [], then);
    const token = await fixture().token();
    const { steps, result } = fixture().sign(token, { tsaURL: tsa(), http: httpOptions });
    const err = await expectSignFailure(result, SignError, 'SIGN_TIMESTAMP_FAILED', token);
    expect(httpCodeOf(err)).toBe(http);
    expect(steps).toContain('entry-logged');
    expect(steps).not.toContain('timestamped');
  }

  it('timestamps through the proxy when it works (the control case)', async () => {
    fixture().proxy.plan('tsa', [status(503)]);
    const { result } = fixture().sign(await fixture().token(), { tsaURL: tsa() });
    expect((await result).bundle.verificationMaterial.rfc3161Timestamps).toHaveLength(1);
    expect(fixture().proxy.count('tsa')).toBe(2);
  });

  it.each([
    ['400', status(400), 'HTTP_STATUS'],
    ['500', status(500), 'HTTP_STATUS'],
    ['JSON instead of a timestamp', jsonAnswer({ ok: true }), 'HTTP_CONTENT_TYPE'],
    ['an endless body', endlessBody(), 'HTTP_CONTENT_TYPE'],
    ['a dropped connection', drop, 'HTTP_NETWORK'],
  ] as const)('%s: SIGN_TIMESTAMP_FAILED', async (_name, fault, http) => {
    await expectTimestampFailure(fault, http);
  });

  it('no answer: SIGN_TIMESTAMP_FAILED (HTTP_TIMEOUT)', async () => {
    await expectTimestampFailure(hang, 'HTTP_TIMEOUT', HANG_HTTP);
  });

  it('a timestamp that is not one: the self-check refuses the bundle', async () => {
    fixture().proxy.plan('tsa', [], ({ reply }) => reply(200, { 'content-type': 'application/timestamp-reply' }, Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])));
    const token = await fixture().token();
    const { steps, result } = fixture().sign(token, { tsaURL: tsa() });
    await expectSignFailure(result, SignError, 'SIGN_SELF_CHECK_FAILED', token);
    expect(steps).not.toContain('bundle-verified');
  });
});
