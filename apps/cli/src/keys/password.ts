import { usageError } from '../cli-error.js';

export interface PasswordSource {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stderr: (text: string) => void;
}

/**
 * The key file's password, where cosign looks: COSIGN_PASSWORD (even empty), else a prompt
 * on the terminal (asked twice when creating a key), else whatever is piped to stdin.
 */
export async function readPassword(confirm: boolean, source: PasswordSource): Promise<Uint8Array> {
  const fromEnv = source.env.COSIGN_PASSWORD;
  if (fromEnv !== undefined) return new TextEncoder().encode(fromEnv);
  if (source.stdin.isTTY) {
    const first = await promptHidden(source, 'Enter password for private key: ');
    if (confirm) {
      const again = await promptHidden(source, 'Enter password for private key again: ');
      if (first !== again) throw usageError('passwords do not match');
    }
    return new TextEncoder().encode(first);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of source.stdin) chunks.push(Buffer.from(chunk));
  return new Uint8Array(Buffer.concat(chunks));
}

// Reads one line from the terminal with echo off.
function promptHidden(source: PasswordSource, prompt: string): Promise<string> {
  const { stdin } = source;
  source.stderr(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      source.stderr('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(usageError('cancelled'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
