import { afterEach, expect } from 'vitest';
import { HttpClientError, type HttpClientErrorCode } from '../src/index.js';
import { localServer, rawServer, type LocalServer } from './local-server.js';

/** Servers started through these are closed after each test. */
export function useServers(): { serve: typeof localServer; serveRaw: typeof rawServer } {
  const servers: LocalServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  const track = async (started: Promise<LocalServer>) => {
    const server = await started;
    servers.push(server);
    return server;
  };
  return { serve: (handler) => track(localServer(handler)), serveRaw: (script) => track(rawServer(script)) };
}

export async function expectHttpError(promise: Promise<unknown>, code: HttpClientErrorCode): Promise<HttpClientError> {
  const err = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(err).toBeInstanceOf(HttpClientError);
  expect((err as HttpClientError).code).toBe(code);
  return err as HttpClientError;
}
