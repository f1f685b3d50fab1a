// The Rekor service in a child process (test/rekor-server/runner.ts, bundled once with esbuild):
// a process the test can kill -9, and a server that does not share the test's event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { derToPem } from '@sigil/encoding';
import { createCertificateAuthority } from '../../../src/index.js';
import { bundleForNode } from './bundle.js';
import { createEntrySigner } from './entries.js';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
let bundled: Promise<string> | undefined;

/**
 * Bundles runner.ts (with the repo's path aliases) into a temporary directory, once per test
 * file, with the signature-check thread's module beside it as the service expects.
 */
function runnerScript(): Promise<string> {
  bundled ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'sigil-rekor-runner-'));
    await bundleForNode({ runner: join(repo, 'test-infra/stack/test/rekor-server/runner.ts') }, outdir);
    return join(outdir, 'runner.mjs');
  })();
  return bundled;
}

/** Deletes the bundled runner (after the test file's last child has exited). */
export async function removeRunnerBundle(): Promise<void> {
  if (bundled) rmSync(dirname(await bundled), { recursive: true, force: true });
  bundled = undefined;
}

export interface ChildRekor {
  url: string;
  /** Synced entries when it started. */
  size: number;
  droppedBytes: number;
  /** Milliseconds to open the state directory (read and rebuild the log). */
  openMs: number;
  /** The Rekor v2 log's key (base64 SPKI) and origin (with `v2`). */
  spki?: string;
  origin?: string;
  child: ChildProcess;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

/** Writes a CA chain as PEM for the runner's --ca. */
export function writeChain(dir: string, chain: readonly Uint8Array[]): string {
  const path = join(dir, 'trusted-ca.pem');
  writeFileSync(path, chain.map((der) => derToPem(der, 'CERTIFICATE')).join(''));
  return path;
}

export async function startChildRekor(dir: string, caFile?: string, options: { v2?: boolean } = {}): Promise<ChildRekor> {
  const script = await runnerScript();
  const child = spawn(process.execPath, [script, '--dir', dir, ...(caFile ? ['--ca', caFile] : []), ...(options.v2 ? ['--v2'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`rekor runner exited with ${code} before it served`)));
  });
  const ready = JSON.parse(line) as { url: string; size: number; droppedBytes: number; openMs: number; spki?: string; origin?: string };
  return {
    ...ready,
    child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** What a kill -9 test needs: a CA, a signer it certified, a state dir and the CA chain on disk; `cleanup` stops and removes. */
export function crashFixture() {
  const ca = createCertificateAuthority();
  const dir = mkdtempSync(join(tmpdir(), 'sigil-rekor-'));
  const caDir = mkdtempSync(join(tmpdir(), 'sigil-rekor-ca-'));
  return {
    signer: createEntrySigner(ca),
    dir,
    caFile: writeChain(caDir, ca.chain),
    async cleanup(running: ChildRekor | undefined) {
      await running?.stop();
      await removeRunnerBundle();
      for (const path of [dir, caDir]) rmSync(path, { recursive: true, force: true });
    },
  };
}
