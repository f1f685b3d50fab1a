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

// Children and temp dirs still alive when the test process exits are killed and removed here,
// so a test that never reaches its afterAll leaves nothing behind.
const alive = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [child, dir] of alive) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

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
      alive.delete(child);
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => {
      alive.set(child, dir);
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
