import { main } from '../src/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the sigil CLI in-process, as the bundled binary would, capturing its output. */
export async function runCli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  }, env);
  return { code, stdout, stderr };
}

/** The error code sigil printed (`Error: CODE: message`), if any. */
export function printedCode(run: CliRun): string | undefined {
  return /^Error: ([A-Z0-9_]+):/m.exec(run.stderr)?.[1];
}

export const repoRoot = new URL('../../../', import.meta.url).pathname;

/** Sets variables the CLI reads (for the tests of one file); returns what puts the old values back. */
export function setCliEnv(env: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Runs `fn` with these variables set in process.env (what every layer reads), then restores it. */
export async function withProcessEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const restore = setCliEnv(env);
  try {
    return await fn();
  } finally {
    restore();
  }
}

/** The certificate identity the stack's Fulcio writes for a job token: https:// + its ci_config_ref_uri. */
export function tokenIdentity(token: string): string {
  return `https://${JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).ci_config_ref_uri}`;
}
