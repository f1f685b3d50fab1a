import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouter, serve, type Route, type RunningServer } from '../../src/http/index.js';

/**
 * A loopback server whose routes are made once its URL is known (a service's URLs name
 * its port). `setRoutes` swaps them, as a restart of the services would.
 */
export async function serveRoutes(): Promise<RunningServer & { setRoutes(routes: readonly Route[]): void }> {
  let router = createRouter([]);
  const server = await serve((req, res) => router(req, res));
  return { ...server, setRoutes: (routes) => void (router = createRouter(routes)) };
}

/** A fresh temporary directory, removed by the returned function. */
export function temporaryDirectory(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `sigil-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** POST a JSON body; returns the status and the parsed JSON answer. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
