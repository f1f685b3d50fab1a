import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const repo = new URL('../../../', import.meta.url).pathname;

/** Bundles refresh-worker.ts once, so tests can refresh from real, separate processes. */
export function buildRefreshWorker(): string {
  const outfile = join(mkdtempSync(join(tmpdir(), 'sigil-tuf-worker-')), 'refresh-worker.mjs');
  buildSync({
    entryPoints: [new URL('./refresh-worker.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(repo, 'tsconfig.json'),
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

export interface ChildOutcome {
  code: number | null;
  result: { committed?: boolean; code?: string; message?: string; versions?: { root: number; timestamp: number } };
}

export function startRefresh(worker: string, args: { cacheRoot: string; mirror: string; root?: string; now: Date }): { child: ChildProcess; done: Promise<ChildOutcome> } {
  const child = spawn(process.execPath, [worker, JSON.stringify({ ...args, now: args.now.toISOString() })], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const done = new Promise<ChildOutcome>((resolve) => child.on('close', (code) => resolve({ code, result: out ? JSON.parse(out) : {} })));
  return { child, done };
}
