import { writeSync } from 'node:fs';
import { printable } from '@sigil/errors';
import { main } from './main.js';

// Plain writes to the file descriptors: touching process.stdout/stderr builds Node's stream
// machinery, a few milliseconds of every cold start for two lines of output.
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

main(process.argv.slice(2), {
  stdout: (text) => writeAll(1, text),
  stderr: (text) => writeAll(2, text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    writeAll(2, `Error: internal error (${printable(String(err))})\n`);
    process.exitCode = 1;
  },
);
