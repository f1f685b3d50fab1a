import { CliError } from './cli-error.js';

/** All of stdin (cosign's `-`), refusing more than `limit` bytes. */
export async function readStdin(what: string, limit: number, input: NodeJS.ReadableStream = process.stdin): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw new CliError('CLI_FILE_UNREADABLE', `${what} from stdin: expected at most ${limit} bytes`);
    chunks.push(buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
