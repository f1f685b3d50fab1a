import { printable } from '@sigil/errors';
import type { Io } from './command.js';

/**
 * Everything sigil writes, with control and format characters escaped (issue: a crafted
 * string erasing a line and painting "Verified OK"). Line breaks are sigil's own: values that
 * could hold one are escaped whole where they are printed (`lines`, error messages).
 */
export function printableIo(io: Io): Io {
  return {
    stdout: (text) => io.stdout(printable(text, { keepNewlines: true })),
    stderr: (text) => io.stderr(printable(text, { keepNewlines: true })),
  };
}

/** Lines of a text result, each escaped whole (a newline in a value stays on its line). */
export function textLines(rows: readonly string[]): string {
  return `${rows.map((row) => printable(row)).join('\n')}\n`;
}
