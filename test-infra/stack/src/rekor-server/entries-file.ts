// The append-only file of log entries: a magic header, then records (entry-record.ts) in
// log-index order. The file is opened O_DSYNC, so a write returns only once its bytes (and
// the new file size) are on disk, as if fdatasync had followed, in one thread-pool trip; no
// append is acknowledged before its write returns;
// on open, the first record that is cut short or fails its checksum ends the log: it and
// everything after it belong to a write nobody was told had succeeded, and are cut off.
import { closeSync, constants, fsyncSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeError } from '@sigil/errors';
import { recordCodec, type EntryRecord } from './entry-record.js';
import { RekorServiceError } from './errors.js';

const MAGIC = Buffer.from('SIGIL-REKOR-V1\n\0', 'latin1');
const READ_CHUNK = 8 * 1024 * 1024;
/** Opened O_DSYNC: a write returns once its bytes and the new file size are on disk, as if fdatasync had followed. */
export const READ_WRITE_DSYNC = constants.O_RDWR | constants.O_DSYNC;

export interface EntriesFile {
  /** The record stored at `offset` (as reported by open or by the writer). */
  read(offset: number, size: number): EntryRecord;
  /** Byte offset after the last whole record found at open: where appends go. */
  readonly end: number;
  close(): Promise<void>;
}

export interface OpenedEntriesFile {
  file: EntriesFile;
  /** Bytes of torn or damaged tail that were cut off. */
  droppedBytes: number;
}

/**
 * Opens (or creates) the entries file and hands every whole record to `onRecord`, in order,
 * with its offset and size. `onRecord` may throw to refuse a record that is whole but wrong.
 */
export async function openEntriesFile(path: string, onRecord: (record: EntryRecord, offset: number, size: number) => void): Promise<OpenedEntriesFile> {
  const handle = await openOrCreate(path);
  try {
    const { end, length } = await scan(handle, path, onRecord);
    if (end < length) {
      await handle.truncate(end);
      await handle.datasync();
    }
    return { file: entriesFile(handle, path, end), droppedBytes: length - end };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function openOrCreate(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, READ_WRITE_DSYNC);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw storageFailed(`opening ${path}`, err);
    handle = await open(path, READ_WRITE_DSYNC | constants.O_CREAT | constants.O_EXCL, 0o600);
    await handle.write(MAGIC, 0, MAGIC.length, 0);
    syncDirectory(dirname(path));
    return handle;
  }
  const header = Buffer.alloc(MAGIC.length);
  const { bytesRead } = await handle.read(header, 0, MAGIC.length, 0);
  if (bytesRead < MAGIC.length && MAGIC.subarray(0, bytesRead).equals(header.subarray(0, bytesRead))) {
    // A crash while the file was being created: it never held an entry.
    await handle.write(MAGIC, 0, MAGIC.length, 0);
  } else if (!header.equals(MAGIC)) {
    await handle.close();
    throw new RekorServiceError('STACK_REKOR_STORAGE_CORRUPT', `${path}: expected a Sigil Rekor entries file header, found other bytes`);
  }
  return handle;
}

/**
 * Reads records through one reused buffer; returns where the whole records end and the file's
 * length. Records handed to `onRecord` are views into that buffer: valid during the call only.
 */
async function scan(handle: FileHandle, path: string, onRecord: (record: EntryRecord, offset: number, size: number) => void) {
  const { size: length } = await handle.stat();
  let chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(length, 1)));
  let filled = 0;
  let chunkStart = MAGIC.length;
  let offset = MAGIC.length;
  while (offset < length) {
    const view = chunk.subarray(0, filled);
    const at = offset - chunkStart;
    const decoded = recordCodec.decode(view, at);
    if (decoded) {
      onRecord(decoded.record, offset, decoded.size);
      offset += decoded.size;
      continue;
    }
    const chunkEnd = chunkStart + filled;
    if (chunkEnd >= length || !needsMoreBytes(view, at)) break;
    // Keep the unread part at the front and read on after it.
    const remainder = filled - at;
    const needed = recordCodec.announcedSize(view, at);
    if (needed > chunk.length) {
      const bigger = Buffer.allocUnsafe(needed);
      chunk.copy(bigger, 0, at, filled);
      chunk = bigger;
    } else {
      chunk.copyWithin(0, at, filled);
    }
    chunkStart = offset;
    filled = remainder;
    const { bytesRead } = await handle.read(chunk, filled, Math.min(chunk.length - filled, length - chunkEnd), chunkEnd);
    if (bytesRead === 0) throw storageFailed(`reading ${path}`, new Error('unexpected end of file'));
    filled += bytesRead;
  }
  return { end: offset, length };
}

/** Whether the record at `at` is cut short by the end of the buffer (rather than damaged). */
function needsMoreBytes(buffer: Buffer, at: number): boolean {
  return buffer.length - at < recordCodec.announcedSize(buffer, at);
}

function entriesFile(handle: FileHandle, path: string, end: number): EntriesFile {
  return {
    end,
    read(offset, size) {
      // Reads come from the page cache; a synchronous pread costs less than a thread-pool hop.
      const bytes = Buffer.allocUnsafe(size);
      const bytesRead = readSync(handle.fd, bytes, 0, size, offset);
      const decoded = bytesRead === size ? recordCodec.decode(bytes, 0) : undefined;
      if (!decoded) throw new RekorServiceError('STACK_REKOR_STORAGE_CORRUPT', `${path}: expected a whole record at offset ${offset}, found damaged bytes`);
      return decoded.record;
    },
    close: () => handle.close(),
  };
}

/** Makes a new directory entry durable (Linux: fsync on the directory). */
export function syncDirectory(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the data itself is synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function storageFailed(what: string, err: unknown): RekorServiceError {
  return new RekorServiceError('STACK_REKOR_STORAGE_FAILED', `${what}: ${describeError(err)}`, { cause: err });
}
