import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeError } from '@sigil/errors';
import { CliError } from './cli-error.js';

export interface OutputFile {
  path: string;
  content: string | Uint8Array;
}

/** Writes an output whole or not at all: a failed run never leaves half a bundle behind. */
export function writeOutputFile(path: string, content: string | Uint8Array): void {
  writeOutputFiles([{ path, content }]);
}

/**
 * Writes all of a command's outputs or none: each goes first to a new temporary file beside
 * it (a random name opened with O_EXCL, so a planted file or symlink is never written
 * through), and only when every one is written do they take their places. Should a rename
 * fail midway, the outputs already moved are put back as they were.
 */
export function writeOutputFiles(outputs: readonly OutputFile[]): void {
  const staged: { path: string; temporary: string; backup?: string }[] = [];
  let current = outputs[0]?.path ?? '';
  try {
    for (const { path, content } of outputs) {
      current = path;
      const temporary = temporaryBeside(path);
      staged.push({ path, temporary });
      writeExclusive(temporary, content);
    }
    commit(staged, (path) => (current = path));
  } catch (err) {
    for (const { temporary } of staged) removeQuietly(temporary);
    throw new CliError('CLI_FILE_UNWRITABLE', `${current}: cannot be written (${describeError(err)})`, { cause: err });
  }
}

function commit(staged: { path: string; temporary: string; backup?: string }[], onFile: (path: string) => void): void {
  const done: typeof staged = [];
  try {
    for (const entry of staged) {
      onFile(entry.path);
      entry.backup = keepPrevious(entry.path);
      renameSync(entry.temporary, entry.path);
      done.push(entry);
    }
  } catch (err) {
    for (const { path, backup } of done.reverse()) {
      if (backup === undefined) removeQuietly(path);
      else renameQuietly(backup, path);
    }
    throw err;
  } finally {
    for (const { backup } of staged) if (backup !== undefined) removeQuietly(backup);
  }
}

/** A hard link to what the output replaces, to put back on failure; none when there is nothing. */
function keepPrevious(path: string): string | undefined {
  const backup = temporaryBeside(path);
  try {
    linkSync(path, backup);
    return backup;
  } catch {
    return undefined;
  }
}

function temporaryBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
}

function writeExclusive(path: string, content: string | Uint8Array): void {
  const fd = openSync(path, 'wx', 0o666);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing more can be done about it
  }
}

function renameQuietly(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    // nothing more can be done about it
  }
}
