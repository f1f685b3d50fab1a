import { concatBytes, utf8Decode } from '@sigil/encoding';

const BLOCK = 512;
const MAX_PAX_SIZE = 1024 * 1024;
const MAX_LONG_NAME = 64 * 1024;
// Zeros tar may write after the end-of-archive blocks: the rest of its record (10 KiB by
// default, more with a larger blocking factor). npm pack writes none.
const MAX_TRAILING_ZEROS = 1024 * 1024;

/** Why a tar stream cannot be read; the caller turns it into its own error. */
export class TarFormatError extends Error {}

/** A regular file the caller asked for: its path as archived and its bytes. */
export interface TarFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * A strict streaming reader of ustar / pax / GNU-long-name tar archives (what npm pack and
 * node-tar write). It keeps only the files `wanted` selects, each at most `maxFileSize`
 * bytes, and skips the rest without buffering it. Header checksums are checked.
 */
export class TarReader {
  readonly files: TarFile[] = [];
  /** A zero block was read: only zeros may follow. */
  ended = false;
  private zerosAfterEnd = 0;
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  private dataLeft = 0;
  private padLeft = 0;
  private capture: { kind: 'file' | 'pax' | 'longName'; path: string; parts: Uint8Array[] } | undefined;
  private nextPath: string | undefined;

  constructor(
    private readonly wanted: (path: string) => boolean,
    private readonly maxFileSize: number,
  ) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    if (this.ended) return this.pushPadding(chunk);
    while (at < chunk.length && !this.ended) {
      if (this.dataLeft > 0) {
        const n = Math.min(this.dataLeft, chunk.length - at);
        this.capture?.parts.push(chunk.slice(at, at + n));
        this.dataLeft -= n;
        at += n;
        if (this.dataLeft === 0) this.finishEntry();
      } else if (this.padLeft > 0) {
        const n = Math.min(this.padLeft, chunk.length - at);
        this.padLeft -= n;
        at += n;
      } else {
        const n = Math.min(BLOCK - this.headerFill, chunk.length - at);
        this.header.set(chunk.subarray(at, at + n), this.headerFill);
        this.headerFill += n;
        at += n;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.readHeader();
        }
      }
    }
    if (this.ended) this.pushPadding(chunk.subarray(at));
  }

  /**
   * After the end-of-archive block, only padding: node-tar (npm) reads on past a single zero
   * block and tar-stream (yarn 1) past any number, so an entry hidden there would be installed
   * without ever being read here. The padding is bounded, so that a gzip bomb's zeros after the
   * end cost at most that much inflating.
   */
  private pushPadding(chunk: Uint8Array): void {
    if (!chunk.every((b) => b === 0)) throw new TarFormatError('data follows the end-of-archive block');
    this.zerosAfterEnd += chunk.length;
    if (this.zerosAfterEnd > BLOCK + MAX_TRAILING_ZEROS) {
      throw new TarFormatError(`expected at most ${MAX_TRAILING_ZEROS} bytes of zero padding after the end-of-archive blocks, found more`);
    }
  }

  /** The input ended: it must end between entries (an end-of-archive block is optional). */
  finish(): void {
    if (this.dataLeft > 0 || this.padLeft > 0 || this.headerFill > 0) throw new TarFormatError('the archive is truncated');
    if (this.nextPath !== undefined) throw new TarFormatError('the archive ends after a long-name header');
  }

  private readHeader(): void {
    const h = this.header;
    if (h.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (octal(h, 148, 8, 'checksum') !== sum) throw new TarFormatError('a header checksum does not match its header');
    if (h[124]! & 0x80) throw new TarFormatError('an entry is larger than 8 GiB');
    const size = octal(h, 124, 12, 'size');
    const type = h[156] === 0 ? '0' : String.fromCharCode(h[156]!);
    const ustar = text(h, 257, 5) === 'ustar';
    const name = text(h, 0, 100);
    const prefix = ustar ? text(h, 345, 155) : '';
    const path = this.nextPath ?? (prefix ? `${prefix}/${name}` : name);
    if (type !== 'x' && type !== 'L') this.nextPath = undefined;

    let kind: 'file' | 'pax' | 'longName' | undefined;
    if (type === 'x') kind = limit('pax', size, MAX_PAX_SIZE);
    else if (type === 'L') kind = limit('longName', size, MAX_LONG_NAME);
    else if ((type === '0' || type === '7') && this.wanted(path)) kind = limit('file', size, this.maxFileSize);
    this.capture = kind ? { kind, path, parts: [] } : undefined;
    this.dataLeft = size;
    this.padLeft = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.finishEntry();
  }

  private finishEntry(): void {
    const capture = this.capture;
    this.capture = undefined;
    if (!capture) return;
    const bytes = concatBytes(...capture.parts);
    if (capture.kind === 'file') this.files.push({ path: capture.path, bytes });
    else if (capture.kind === 'longName') this.nextPath = text(bytes, 0, bytes.length);
    else this.nextPath = paxPath(bytes) ?? this.nextPath;
  }
}

function limit<K extends string>(kind: K, size: number, max: number): K {
  if (size > max) throw new TarFormatError(`a ${kind === 'file' ? 'wanted file' : `${kind} header`} of ${size} bytes exceeds the ${max}-byte limit`);
  return kind;
}

/** A NUL-terminated octal number, as tar writes sizes and checksums. */
function octal(h: Uint8Array, offset: number, length: number, what: string): number {
  const digits = text(h, offset, length).trim();
  if (!/^[0-7]{1,12}$/.test(digits)) throw new TarFormatError(`a header ${what} is not an octal number`);
  return parseInt(digits, 8);
}

function text(bytes: Uint8Array, offset: number, length: number): string {
  const field = bytes.subarray(offset, offset + length);
  const end = field.indexOf(0);
  try {
    return utf8Decode(end < 0 ? field : field.subarray(0, end));
  } catch {
    throw new TarFormatError('a header name is not UTF-8');
  }
}

/** The `path` record of a pax extended header (`<length> path=<value>\n` records). */
function paxPath(bytes: Uint8Array): string | undefined {
  let path: string | undefined;
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const digits = space < 0 ? '' : text(bytes, at, space - at);
    const length = /^[0-9]{1,9}$/.test(digits) ? Number(digits) : NaN;
    if (Number.isNaN(length) || length <= space - at + 1 || at + length > bytes.length || bytes[at + length - 1] !== 0x0a) {
      throw new TarFormatError('a pax header record is malformed');
    }
    const record = text(bytes, space + 1, at + length - 1 - (space + 1));
    const eq = record.indexOf('=');
    if (eq < 0) throw new TarFormatError('a pax header record has no "="');
    if (record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    at += length;
  }
  return path;
}
