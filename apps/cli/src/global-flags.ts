import { closeSync, openSync, writeSync } from 'node:fs';
import { describeError } from '@sigil/errors';
import { CliError } from './cli-error.js';
import type { FlagValues, Io } from './command.js';
import { formatGoDuration } from './flags/values.js';

const DEFAULT_TIMEOUT_MS = 180_000;
// The longest delay setTimeout holds: Node fires a longer one after 1 ms. A deadline further
// off (about 24.8 days) never comes within a command's life, so it is set as none.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * cosign's persistent flags around a command: --output-file sends what it prints on stdout to a
 * file (created or truncated first, as os.Create does), --timeout bounds the whole command
 * (cosign's context deadline; 0 means none), --verbose is read by the caller.
 */
export async function withGlobalFlags(values: FlagValues, io: Io, run: (io: Io) => Promise<number>): Promise<number> {
  const outputFile = values['output-file'];
  let fd: number | undefined;
  if (typeof outputFile === 'string' && outputFile !== '') {
    try {
      fd = openSync(outputFile, 'w', 0o644);
    } catch (err) {
      throw new CliError('CLI_FILE_UNWRITABLE', `error creating output file ${outputFile}: ${describeError(err)}`, { cause: err });
    }
  }
  const out: Io = fd === undefined ? io : { stdout: (text) => void writeSync(fd!, text), stderr: io.stderr };
  const timeout = typeof values.timeout === 'number' ? values.timeout : DEFAULT_TIMEOUT_MS;
  let armed: NodeJS.Immediate | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    if (timeout <= 0 || timeout > MAX_TIMER_MS) return await run(out);
    // The clock starts when the command first waits on the event loop (the network, stdin):
    // one that finishes within its first turn, as an offline verification does, never sets a
    // timer (the first setTimeout of a process costs about 0.3 ms of a cold start).
    const deadline = new Promise<never>((_, reject) => {
      armed = setImmediate(() => {
        timer = setTimeout(() => reject(new CliError('CLI_TIMEOUT', `the command did not finish within --timeout ${formatGoDuration(timeout)}`, { hint: 'raise it with --timeout (e.g. -t 10m) or COSIGN_TIMEOUT' })), timeout);
        timer.unref();
      });
    });
    return await Promise.race([run(out), deadline]);
  } finally {
    if (armed) clearImmediate(armed);
    if (timer) clearTimeout(timer);
    if (fd !== undefined) closeSync(fd);
  }
}
