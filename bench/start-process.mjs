// A service for a benchmark in a process of its own (the stack, a Rekor, a mock): started with
// `node script ...args`, ready when it prints its JSON description line on stdout.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Resolves with the process's JSON line, how long it took (readyMs), its pid and a stop(). */
export async function startProcess(script, args = []) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const started = performance.now();
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { ...JSON.parse(line), readyMs: performance.now() - started, pid: child.pid, stop: () => (child.kill('SIGTERM'), exited) };
}

/** Runs a build script (node script ...args), throwing if it fails: a benchmark must not measure a stale build. */
export function runBuild(script, args = []) {
  const result = spawnSync(process.execPath, [script, ...args], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${script} failed (exit ${result.status ?? result.signal})`);
}
