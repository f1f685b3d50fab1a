import { existsSync } from 'node:fs';
import type { KeyPairFiles } from '@sigil/keys';
import { usageError } from '../cli-error.js';
import type { Io } from '../command.js';
import { writeOutputFiles } from '../output-file.js';

/**
 * Writes PREFIX.key (mode 0600 from its creation: encrypted, but still nobody else's business)
 * and PREFIX.pub, both or neither. An existing PREFIX.key is replaced only when `overwrite` says so.
 */
export function writeKeyPair(prefix: string, files: KeyPairFiles, overwrite: boolean, io: Io): void {
  const privatePath = `${prefix}.key`;
  const publicPath = `${prefix}.pub`;
  if (!overwrite && existsSync(privatePath)) {
    throw usageError(`${privatePath} already exists; not overwritten`, 'Remove it first, pick another --output-key-prefix, or confirm with --yes where the command takes it.');
  }
  writeOutputFiles([
    { path: privatePath, content: files.privateKeyPem, mode: 0o600 },
    { path: publicPath, content: files.publicKeyPem, mode: 0o644 },
  ]);
  io.stderr(`Private key written to ${privatePath}\nPublic key written to ${publicPath}\n`);
}
