import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { describeError } from '@sigil/errors';
import { CliError } from './cli-error.js';

/** Writes an output whole or not at all: a failed run never leaves half a bundle behind. */
export function writeOutputFile(path: string, content: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (err) {
    // Nor a whole one under a temporary name, when it could not take the output's place.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing more can be done about it
    }
    throw new CliError('CLI_FILE_UNWRITABLE', `${path}: cannot be written (${describeError(err)})`, { cause: err });
  }
}
