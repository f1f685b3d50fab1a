import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeError } from '@sigil/errors';
import type { KeyPairFiles } from '@sigil/keys';
import { CliError, usageError } from '../cli-error.js';
import type { Io } from '../command.js';

/**
 * Writes PREFIX.key (mode 0600: encrypted, but still nobody else's business) and PREFIX.pub.
 * An existing PREFIX.key is replaced only when `overwrite` says so; each file appears whole.
 */
export function writeKeyPair(prefix: string, files: KeyPairFiles, overwrite: boolean, io: Io): void {
  const privatePath = `${prefix}.key`;
  const publicPath = `${prefix}.pub`;
  if (!overwrite && existsSync(privatePath)) {
    throw usageError(`${privatePath} already exists; not overwritten`, 'Remove it first, pick another --output-key-prefix, or confirm with --yes where the command takes it.');
  }
  place(privatePath, files.privateKeyPem, 0o600);
  io.stderr(`Private key written to ${privatePath}\n`);
  place(publicPath, files.publicKeyPem, 0o644);
  io.stderr(`Public key written to ${publicPath}\n`);
}

/**
 * Writes one file whole, with its final mode from the start: a fresh, unguessable temporary
 * is created exclusively (no planted file or link is followed), then linked into place.
 */
export function place(path: string, content: string, mode: number): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, content, { mode, flag: 'wx' });
    rmSync(path, { force: true });
    linkSync(temporary, path);
  } catch (err) {
    throw new CliError('CLI_FILE_UNWRITABLE', `${path}: cannot be written (${describeError(err)})`, { cause: err });
  } finally {
    rmSync(temporary, { force: true });
  }
}
