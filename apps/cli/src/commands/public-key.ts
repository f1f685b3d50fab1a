import { derToPem } from '@sigil/encoding';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { PUBLIC_KEY_FLAGS } from '../flag-sets/keys.js';
import { loadSigner } from '../keys/load-key.js';
import { writeOutputFiles } from '../output-file.js';

export const publicKeyCommand: Command = {
  name: 'public-key',
  summary: 'public-key: the public key of a cosign private key (file, env://VAR or gitlab://GROUP/PROJECT), to stdout or --outfile',
  usage: 'sigil public-key --key KEY [--outfile FILE]',
  flags: PUBLIC_KEY_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    const flags = values as { key?: string; outfile?: string };
    if (!flags.key) throw usageError('expected --key: the private key whose public key to print');
    if (positionals.length > 0) throw usageError(`expected no arguments, found ${positionals.length}`);
    const signer = await loadSigner(flags.key, { env: process.env, stdin: process.stdin, stderr: io.stderr });
    const pem = derToPem(signer.spki, 'PUBLIC KEY');
    if (!flags.outfile) io.stdout(pem);
    else {
      writeOutputFiles([{ path: flags.outfile, content: pem, mode: 0o644 }]);
      io.stderr(`Public key written to ${flags.outfile}\n`);
    }
    return 0;
  },
};
