// Runs one fuzz target under Jazzer.js (libFuzzer) in a child process. New interesting inputs
// go to .work/<name>/corpus, findings (crash-*, timeout-*, oom-*) to .work/<name>/findings;
// the seeds in corpus/<name> are read, never written.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTargets } from './build-targets.mjs';
import { TARGETS } from './targets.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const packageDir = join(here, '..');
const jazzerCli = createRequire(import.meta.url).resolve('@jazzer.js/core/dist/cli.js');

/**
 * options: runs (executions, default unbounded), seconds (wall-clock cap), seed (libFuzzer's
 * random seed; fixed for reproducible runs), timeoutMs (one input), workDir, quiet, and for
 * a target outside TARGETS its built file and seeds (built, seedsDir).
 * Resolves to { code, output, stats } where stats are libFuzzer's final counters.
 */
export async function runTarget(name, options = {}) {
  // A target outside TARGETS (the harness's own test) brings its build and seeds.
  const target = TARGETS[name] ?? (options.built && options.seedsDir ? { sync: true, maxLen: 4096 } : undefined);
  if (!target) throw new Error(`unknown fuzz target ${JSON.stringify(name)}: expected one of ${Object.keys(TARGETS).join(', ')}`);
  const built = options.built ?? (await buildTargets([name]))[name];
  const work = join(options.workDir ?? join(packageDir, '.work'), name);
  const corpus = join(work, 'corpus');
  const findings = join(work, 'findings');
  mkdirSync(corpus, { recursive: true });
  mkdirSync(findings, { recursive: true });
  const libFuzzer = [
    `-max_len=${target.maxLen}`,
    `-artifact_prefix=${findings}/`,
    '-print_final_stats=1',
    '-rss_limit_mb=2048',
    ...(options.seed !== undefined ? [`-seed=${options.seed}`] : []),
    ...(options.runs !== undefined ? [`-runs=${options.runs}`] : []),
    ...(options.seconds !== undefined ? [`-max_total_time=${options.seconds}`] : []),
  ];
  const args = [
    '-r', join(here, 'jazzer/load-addon.cjs'),
    jazzerCli, built, corpus, options.seedsDir ?? join(packageDir, 'corpus', name),
    ...(target.sync ? ['--sync'] : []),
    `--timeout=${options.timeoutMs ?? 10_000}`,
    // The target reads no files from its input and runs no commands: those detectors only cost time.
    '--disable_bug_detectors=command-injection', '--disable_bug_detectors=path-traversal',
    '--', ...libFuzzer,
  ];
  const child = spawn(process.execPath, args, { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (stream, sink) => stream.on('data', (chunk) => {
    output += chunk;
    if (!options.quiet) sink.write(chunk);
  });
  collect(child.stdout, process.stdout);
  collect(child.stderr, process.stderr);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve(status ?? signal));
  });
  return { code, output, stats: finalStats(output), findings };
}

function finalStats(output) {
  const stats = {};
  for (const [, key, value] of output.matchAll(/^stat::(\w+):\s*(\d+)$/gm)) stats[key] = Number(value);
  return stats;
}
