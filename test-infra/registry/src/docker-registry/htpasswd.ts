import { spawn } from 'node:child_process';
import { RegistryTestError } from '../errors.js';
import { INSTALL_HINT } from './install-hint.js';

/**
 * One htpasswd line with a bcrypt hash (registry 2.8 reads no other kind). The password goes in
 * on stdin (-i), so it never shows in a process list.
 */
export async function bcryptHtpasswdLine(binary: string, username: string, password: string): Promise<string> {
  const child = spawn(binary, ['-B', '-i', '-n', username], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin.on('error', () => {}); // a child that never started cannot take the password; 'error' below says why
  child.stdin.end(password);
  const code = await new Promise<number | string>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new RegistryTestError('REGISTRY_BINARY_MISSING', `htpasswd: expected the program ${binary}, found nothing`, { hint: INSTALL_HINT })
          : new RegistryTestError('REGISTRY_START_FAILED', `htpasswd: could not run ${binary} (${err.message})`, { cause: err }),
      ),
    );
    child.once('close', (status, signal) => resolve(status ?? signal ?? 'unknown'));
  });
  const line = stdout.trim();
  if (code !== 0 || !line.startsWith(`${username}:$2`)) {
    throw new RegistryTestError('REGISTRY_START_FAILED', `htpasswd -B: expected a bcrypt entry for the user, found exit ${code} (${stderr.trim().slice(-200) || 'no message'})`);
  }
  return `${line}\n`;
}
