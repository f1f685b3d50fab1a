import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** How much of the child's output is kept for error messages. */
const TAIL_BYTES = 4096;

export interface RunningChild {
  pid: number;
  /** The last few KiB of stdout and stderr together. */
  tail(): string;
  /** Set once the child has exited. */
  exited(): { code: number | null; signal: string | null } | undefined;
  /** SIGKILL (the registry has nothing worth a graceful stop) and wait for the exit. */
  kill(): Promise<void>;
}

// Children and temp dirs still alive when the test process ends are killed and removed here, so a
// test that never reaches its afterAll leaves nothing behind. vitest ends its workers with SIGTERM,
// which skips 'exit' handlers: while a child lives, the usual signals clean up, then are raised again.
const alive = new Map<ChildProcess, string>();
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

function cleanUpAll(): void {
  for (const [child, dir] of alive) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  alive.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  cleanUpAll();
  unwatch();
  process.kill(process.pid, signal); // the default action (or other listeners) as if we were never here
}

function watch(child: ChildProcess, dir: string): void {
  if (alive.size === 0) {
    process.on('exit', cleanUpAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  alive.set(child, dir);
}

function forget(child: ChildProcess): void {
  if (alive.delete(child) && alive.size === 0) unwatch();
}

function unwatch(): void {
  process.off('exit', cleanUpAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Starts `binary args` with its output captured; `dir` is removed too if the process exits unexpectedly. */
export function startChild(binary: string, args: string[], dir: string): Promise<RunningChild> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (text: string) => (output = (output + text).slice(-TAIL_BYTES));
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  let status: { code: number | null; signal: string | null } | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      status = { code, signal };
      forget(child);
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => {
      watch(child, dir);
      resolve({
        pid: child.pid!,
        tail: () => output,
        exited: () => status,
        async kill() {
          if (!status) child.kill('SIGKILL');
          await exit;
        },
      });
    });
  });
}
