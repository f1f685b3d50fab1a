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
