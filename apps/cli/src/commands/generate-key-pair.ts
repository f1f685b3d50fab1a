import { gitlabApi, storeKeyPair } from '@sigil/ci';
import { generateKeyPair } from '@sigil/keys';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { GENERATE_KEY_PAIR_FLAGS } from '../flag-sets/keys.js';
import { parseKeyReference } from '../keys/key-reference.js';
import { readPassword } from '../keys/password.js';
import { writeKeyPair } from '../keys/write-key-pair.js';
import { writeOutputFiles } from '../output-file.js';

export const generateKeyPairCommand: Command = {
  name: 'generate-key-pair',
  summary: 'generate-key-pair: an ECDSA P-256 key pair in cosign\'s format (cosign.key encrypted with COSIGN_PASSWORD, cosign.pub), or stored in GitLab CI/CD variables',
  usage: 'sigil generate-key-pair [--output-key-prefix PREFIX] | sigil generate-key-pair gitlab://GROUP/PROJECT [--gitlab-protect=false] [--gitlab-mask-password=false]',
  flags: GENERATE_KEY_PAIR_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    const flags = values as { 'output-key-prefix'?: string; 'gitlab-protect'?: boolean; 'gitlab-mask-password'?: boolean };
    if (positionals.length > 1) throw usageError(`expected at most one destination (gitlab://GROUP/PROJECT), found ${positionals.length}`);
    const source = { env: process.env, stdin: process.stdin, stderr: io.stderr };
    const password = await readPassword(true, source);
    const files = await generateKeyPair(password);
    const [destination] = positionals;
    if (destination === undefined) {
      writeKeyPair(flags['output-key-prefix'] ?? 'cosign', files, false, io);
      return 0;
    }
    const reference = parseKeyReference(destination, 'destination');
    if (reference.kind !== 'gitlab') throw usageError(`destination: expected gitlab://GROUP/PROJECT, found ${JSON.stringify(destination)}`, 'Without a destination the key pair is written to cosign.key and cosign.pub.');
    const env = process.env;
    const stored = await storeKeyPair(gitlabApi({ host: env.GITLAB_HOST, token: env.GITLAB_TOKEN ?? '' }), reference.reference, {
      ...files,
      password: new TextDecoder().decode(password),
      protected: flags['gitlab-protect'],
      maskPassword: flags['gitlab-mask-password'],
    });
    const where = `${stored.owner.kind} ${stored.owner.reference}`;
    io.stderr(`Password written to "COSIGN_PASSWORD" ${where} variable (${stored.protected ? 'protected' : 'NOT protected'}, ${stored.passwordMasked ? 'masked' : 'NOT masked'})\n`);
    io.stderr(`Private key written to "COSIGN_PRIVATE_KEY" ${where} variable (${stored.protected ? 'protected: only jobs on protected branches and tags can sign' : 'NOT protected: every pipeline can sign'})\n`);
    io.stderr(`Public key written to "COSIGN_PUBLIC_KEY" ${where} variable\n`);
    // As cosign: the public key also lands in cosign.pub, to verify with or to publish.
    writeOutputFiles([{ path: 'cosign.pub', content: files.publicKeyPem, mode: 0o644 }]);
    io.stderr('Public key also written to cosign.pub\n');
    return 0;
  },
};

