import { importKeyPair } from '@sigil/keys';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { IMPORT_KEY_PAIR_FLAGS } from '../flag-sets/keys.js';
import { readTextFileLimited } from '../files.js';
import { readPassword } from '../keys/password.js';
import { writeKeyPair } from '../keys/write-key-pair.js';

export const importKeyPairCommand: Command = {
  name: 'import-key-pair',
  summary: 'import-key-pair: a PEM private key (EC P-256/P-384/P-521, RSA 2048-4096, Ed25519; PKCS#8, SEC1 or PKCS#1) into cosign\'s encrypted format',
  usage: 'sigil import-key-pair --key KEY.pem [--output-key-prefix PREFIX] [--yes]',
  flags: IMPORT_KEY_PAIR_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    const flags = values as { key?: string; 'output-key-prefix'?: string; yes?: boolean };
    if (!flags.key) throw usageError('expected --key FILE: the PEM private key to import');
    if (positionals.length > 0) throw usageError(`expected no arguments, found ${positionals.length}`);
    const pem = readTextFileLimited(flags.key, 'private key', 64 * 1024);
    const password = await readPassword(true, { env: process.env, stdin: process.stdin, stderr: io.stderr });
    const files = await importKeyPair(pem, password, `private key ${flags.key}`);
    writeKeyPair(flags['output-key-prefix'] ?? 'import-cosign', files, flags.yes === true, io);
    return 0;
  },
};
