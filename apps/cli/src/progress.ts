import { writeSync } from 'node:fs';

// Large artifacts take seconds to hash: show how far along, but only to a person watching.
const SHOW_FROM_BYTES = 64 * 1024 * 1024;

export function progressReporter(total: number, label: string): ((bytes: number) => void) | undefined {
  if (!process.stderr.isTTY || total < SHOW_FROM_BYTES) return undefined;
  let shown = -1;
  return (bytes) => {
    const percent = Math.floor((bytes / total) * 100);
    if (percent === shown) return;
    shown = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    writeSync(2, `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${percent}%${percent === 100 ? '\n' : ''}`);
  };
}
