import { derToPem } from '@sigil/encoding';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { loadSigner } from '../keys/load-key.js';
import { place } from '../keys/write-key-pair.js';

export const publicKeyCommand: Command = {
  name: 'public-key',
  summary: 'public-key: the public key of a cosign private key (file, env://VAR or gitlab://GROUP/PROJECT), to stdout or --outfile',
  usage: 'sigil public-key --key KEY [--outfile FILE]',
  options: { key: { type: 'string' }, outfile: { type: 'string' }, sk: { type: 'boolean' }, slot: { type: 'string' } },
  async run(values, positionals, io) {
    const flags = values as { key?: string; outfile?: string; sk?: boolean; slot?: string };
    if (flags.sk || flags.slot !== undefined) {
      throw usageError(`${flags.sk ? '--sk' : '--slot'}: hardware security keys (PIV) are not supported by sigil`, 'Use a cosign key file (sigil generate-key-pair) or gitlab://GROUP/PROJECT.');
    }
    if (flags.key === undefined) throw usageError('expected --key: the private key whose public key to print');
    if (positionals.length > 0) throw usageError(`expected no arguments, found ${positionals.length}`);
    const signer = await loadSigner(flags.key, { env: process.env, stdin: process.stdin, stderr: io.stderr });
    const pem = derToPem(signer.spki, 'PUBLIC KEY');
    if (flags.outfile === undefined) io.stdout(pem);
    else {
      place(flags.outfile, pem, 0o644);
      io.stderr(`Public key written to ${flags.outfile}\n`);
    }
    return 0;
  },
};
