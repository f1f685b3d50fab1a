import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Variables a parent pnpm, npm or vitest sets for itself; passed on, they would change
// how the child npm installs or how node starts.
const INHERITED_NOISE = /^(npm_|NODE_OPTIONS$|NODE_PATH$|VITEST|PNPM_)/i;

function childEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !INHERITED_NOISE.test(key)));
  return { ...env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NO_UPDATE_NOTIFIER: '1', CI: '1' };
}

/** Runs a command to completion; never throws, so that callers can show its output when it fails. */
export function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: childEnv(), timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (error && code === 1 && !stderr ? error.message : '') });
    });
  });
}

/** Like run, but a non-zero exit is an error carrying the command's output. */
export async function runOrThrow(command: string, args: string[], cwd: string, timeoutMs?: number): Promise<CommandResult> {
  const result = await run(command, args, cwd, timeoutMs);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Builds every package's dist/ in dependency order (turbo caches unchanged packages). */
export async function buildPackages(repoRoot: string): Promise<void> {
  const turbo = join(repoRoot, 'node_modules/.bin/turbo');
  await runOrThrow(turbo, ['run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], repoRoot, 240_000);
}

/** `pnpm pack` of each package into `destination` (workspace:* becomes the version); returns name -> tarball file name. */
export async function packPackages(packageDirs: string[], destination: string): Promise<Map<string, string>> {
  mkdirSync(destination, { recursive: true });
  const tarballs = new Map<string, string>();
  await Promise.all(
    packageDirs.map(async (dir) => {
      const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
      await runOrThrow('pnpm', ['pack', '--pack-destination', destination], dir);
      const file = `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
      if (!existsSync(join(destination, file))) throw new Error(`pnpm pack in ${dir} did not write ${file}`);
      tarballs.set(name, file);
    }),
  );
  return tarballs;
}

/**
 * A project that depends on every tarball, as a user's would. The overrides make the
 * packages' dependencies on each other resolve to the tarballs too, not to the registry.
 */
export function writeScratchManifest(dir: string, tarballDir: string, tarballs: Map<string, string>, devDependencies: Record<string, string>): void {
  const specs = Object.fromEntries([...tarballs].sort().map(([name, file]) => [name, `file:./${tarballDir}/${file}`]));
  const manifest = { name: 'sigil-packaging-scratch', version: '0.0.0', private: true, type: 'module', dependencies: specs, devDependencies, overrides: specs };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function npmInstall(dir: string): Promise<void> {
  await runOrThrow('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], dir, 240_000);
}
