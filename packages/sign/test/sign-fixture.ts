import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { SigilError } from '@sigil/errors';
import type { HttpOptions } from '@sigil/http-client';
import { createStack, type Stack } from '@sigil/stack';
import { TrustMaterial } from '@sigil/trust';
import { signBlob, type SignOptions, type SignResult, type SignStep } from '../src/index.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

/** Short timeouts and backoff: a failing case takes milliseconds, a hanging one well under a second per attempt. */
export const FAST_HTTP: HttpOptions = { timeoutMs: 3000, retries: 2, retryDelayMs: 5, maxRetryDelayMs: 50, maxResponseBytes: 1024 * 1024 };

export const ARTIFACT = new TextEncoder().encode('an artifact signed through a faulty network\n');

export interface SignFixture {
  stack: Stack;
  proxy: FaultProxy;
  trust: TrustMaterial;
  trustedRootJson: Record<string, unknown>;
  /** The issuers of the stack's signing config. */
  knownIssuers: string[];
  /** A fresh token for the default GitLab job. */
  token(): Promise<string>;
  /** signBlob with `token` through the proxy, recording the steps it reached. */
  sign(token: string, options?: Partial<SignOptions>, artifact?: Uint8Array): { steps: SignStep[]; result: Promise<SignResult> };
  close(): Promise<void>;
}

/** The local stack in a temporary directory, and the fault proxy in front of it. */
export async function startSignFixture(name: string): Promise<SignFixture> {
  const dir = mkdtempSync(join(tmpdir(), `sigil-sign-${name}-`));
  const stack = await createStack({ dir });
  const proxy = await startFaultProxy(stack.fulcioURL);
  const trustedRootJson = JSON.parse(readFileSync(stack.trustedRoot, 'utf8'));
  const trust = TrustMaterial.fromJson(trustedRootJson);
  const knownIssuers = [stack.oidcIssuer];
  return {
    stack,
    proxy,
    trust,
    trustedRootJson,
    knownIssuers,
    token: () => stack.mintToken(),
    sign(token, options = {}, artifact = ARTIFACT) {
      const steps: SignStep[] = [];
      const result = signBlob(
        { kind: 'bytes', bytes: artifact },
        { identityToken: token, fulcioURL: proxy.url, rekorURL: proxy.url, trust, knownIssuers, http: FAST_HTTP, onStep: (step) => steps.push(step), ...options },
      );
      return { steps, result };
    },
    async close() {
      await proxy.close();
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fixture for the test file: started before its tests, the proxy reset before each, closed after. */
export function useSignFixture(name: string): () => SignFixture {
  let fixture: SignFixture | undefined;
  beforeAll(async () => {
    fixture = await startSignFixture(name);
  }, 60_000);
  afterAll(async () => {
    await fixture?.close();
  });
  beforeEach(() => fixture?.proxy.reset());
  return () => fixture!;
}

/**
 * The signing failed with `errorClass` and `code`, and nothing it carries (message, details,
 * hint, stack, causes) shows the token or a part of it that could be replayed.
 */
export async function expectSignFailure<E extends SigilError>(
  result: Promise<unknown>,
  errorClass: abstract new (...args: never[]) => E,
  code: E['code'],
  token?: string,
): Promise<E> {
  const err = await result.then(
    () => expect.fail(`expected ${code}, but signing succeeded`),
    (failure: unknown) => failure,
  );
  expect(err).toBeInstanceOf(errorClass);
  expect((err as E).code, (err as Error).message).toBe(code);
  if (token !== undefined) expectNoToken(err, token);
  return err as E;
}

export function expectNoToken(err: unknown, token: string): void {
  const shown = exposed(err);
  expect(shown).not.toContain(token);
  // The payload and signature are what make a token usable; either alone must not leak.
  for (const part of token.split('.').slice(1)) if (part.length >= 16) expect(shown).not.toContain(part);
}

/** Everything an error shows: each error of the cause chain with its code, message, details, hint and stack. */
export function exposed(err: unknown): string {
  const chain: unknown[] = [];
  for (let current = err, depth = 0; current !== undefined && depth < 10; depth++) {
    if (current instanceof Error) {
      const { code, details, hint } = current as SigilError;
      chain.push({ ...current, name: current.name, code, message: current.message, details, hint, stack: current.stack });
      current = current.cause;
    } else {
      chain.push(String(current));
      current = undefined;
    }
  }
  return JSON.stringify(chain, (_key, value) => (typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value));
}

/** The `code` of an error's HttpClientError, as FulcioError and RekorClientError carry it in details. */
export function httpCodeOf(err: SigilError): unknown {
  return err.details?.httpCode;
}
