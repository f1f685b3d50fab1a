import { randomBytes } from 'node:crypto';
import { closeSync, constants, copyFileSync, fstatSync, linkSync, openSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeError } from '@sigil/errors';
import { CliError } from './cli-error.js';

export interface OutputFile {
  path: string;
  content: string | Uint8Array;
  /** The file's permissions from its creation on (0600 for a key); default 0666 less the umask. */
  mode?: number;
}

/** Writes an output whole or not at all: a failed run never leaves half a bundle behind. */
export function writeOutputFile(path: string, content: string | Uint8Array): void {
  writeOutputFiles([{ path, content }]);
}

/**
 * Writes all of a command's outputs or none: each goes first to a new temporary file beside
 * it (a random name opened with O_EXCL, so a planted file or symlink is never written
 * through), and only when every one is written do they take their places. Should a rename
 * fail midway, the outputs already moved are put back as they were. An output that is a
 * character device or a FIFO (`--bundle /dev/stdout`) is written through, as cosign does,
 * after every file is in place: it cannot be replaced, nor taken back.
 */
export function writeOutputFiles(outputs: readonly OutputFile[]): void {
  const staged: Staged[] = [];
  const streams: OutputFile[] = [];
  let current = outputs[0]?.path ?? '';
  try {
    for (const output of outputs) {
      current = output.path;
      if (isStream(output.path)) {
        streams.push(output);
        continue;
      }
      const temporary = temporaryBeside(output.path);
      staged.push({ path: output.path, temporary });
      writeExclusive(temporary, output.content, output.mode);
    }
    commit(staged, streams, (path) => (current = path));
  } catch (err) {
    for (const { temporary } of staged) removeQuietly(temporary);
    throw new CliError('CLI_FILE_UNWRITABLE', `${current}: cannot be written (${describeError(err)})`, { cause: err });
  }
}

interface Staged {
  path: string;
  temporary: string;
  backup?: string;
}

function commit(staged: Staged[], streams: readonly OutputFile[], onFile: (path: string) => void): void {
  const done: Staged[] = [];
  try {
    for (const entry of staged) {
      onFile(entry.path);
      entry.backup = keepPrevious(entry.path);
      renameSync(entry.temporary, entry.path);
      done.push(entry);
    }
    for (const { path, content } of streams) {
      onFile(path);
      writeThrough(path, content);
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

/**
 * True for an output that is a character device or a FIFO: written through. Any other
 * existing thing that is not a regular file (a directory, a socket, a block device) is
 * refused by name rather than replaced.
 */
function isStream(path: string): boolean {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (stats.isFile()) return false;
  if (stats.isCharacterDevice() || stats.isFIFO()) return true;
  throw new Error(`expected a regular file, a character device (/dev/stdout) or a FIFO, found ${kindOf(stats)}`);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  if (stats.isBlockDevice()) return 'a block device';
  return 'something else';
}

/** Into a device or FIFO as it is: opened without creating or truncating, checked to be one still. */
function writeThrough(path: string, content: string | Uint8Array): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_NOCTTY);
  try {
    const stats = fstatSync(fd);
    if (!stats.isCharacterDevice() && !stats.isFIFO()) throw new Error(`expected a character device or a FIFO, found ${stats.isFile() ? 'a regular file' : kindOf(stats)} (it changed)`);
    writeAll(fd, content);
  } finally {
    closeSync(fd);
  }
}

/**
 * A copy of what the output replaces, to put back on failure; none only when there is
 * nothing there. A hard link where the filesystem has them, else a byte copy: a backup that
 * cannot be made stops the write (a rollback would otherwise delete the previous output).
 */
function keepPrevious(path: string): string | undefined {
  const backup = temporaryBeside(path);
  try {
    linkSync(path, backup);
    return backup;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    removeQuietly(backup);
  }
  // No hard links here (vfat, exFAT, some network and FUSE filesystems): copy it instead.
  try {
    copyFileSync(path, backup, constants.COPYFILE_EXCL);
    return backup;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    removeQuietly(backup);
    throw err;
  }
}

function temporaryBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
}

function writeExclusive(path: string, content: string | Uint8Array, mode = 0o666): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeAll(fd, content);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
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
