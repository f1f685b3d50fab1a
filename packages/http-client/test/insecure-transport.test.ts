import { describe, expect, it } from 'vitest';
import { isLoopbackHost, requestJson, serviceBaseUrl } from '../src/index.js';
import { expectHttpError, useServers } from './helpers.js';
import { sendJson } from './local-server.js';

const { serve } = useServers();

// 0.0.0.0 is not loopback, yet on Linux it reaches a server bound to 127.0.0.1: the bearer
// token would arrive in clear text if plain http to it were allowed.
describe('plain http only to loopback', () => {
  it('a request to a non-loopback http host is refused before any connection, with its token', async () => {
    const seen: string[] = [];
    const server = await serve((req, res) => {
      seen.push(req.headers.authorization ?? '');
      sendJson(res, 200, {});
    });
    const port = new URL(server.url).port;
    await requestJson(`${server.url}/`, { headers: { authorization: 'Bearer loopback-ok' } });
    const err = await expectHttpError(requestJson(`http://0.0.0.0:${port}/`, { headers: { authorization: 'Bearer secret-token' }, retries: 0 }), 'HTTP_INSECURE_REFUSED');
    expect(err.message).toContain('http://0.0.0.0');
    expect(seen).toEqual(['Bearer loopback-ok']);
  });

  it('a service base URL is refused the same way', async () => {
    await expectHttpError(Promise.resolve().then(() => serviceBaseUrl('http://fulcio.example', 'Fulcio')), 'HTTP_INSECURE_REFUSED');
    expect(serviceBaseUrl('http://127.0.0.1:3000/prefix', 'Fulcio').href).toBe('http://127.0.0.1:3000/prefix/');
    expect(serviceBaseUrl('https://fulcio.example', 'Fulcio').href).toBe('https://fulcio.example/');
  });

  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['[::ffff:7f00:1]', false],
    ['localhost.example', false],
    ['10.0.0.1', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
