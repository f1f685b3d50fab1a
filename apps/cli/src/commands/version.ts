import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { plainFlags } from '../flags/plain.js';

export const SIGIL_VERSION = '0.1.0';

export const versionCommand: Command = {
  name: 'version',
  summary: "Print sigil's version (--json: as JSON, the fields cosign's version --json prints where they apply)",
  usage: 'sigil version [--json]',
  flags: plainFlags({ json: { type: 'boolean', description: 'print JSON' } }),
  async run(values, positionals, io) {
    if (positionals.length > 0) throw usageError(`expected no arguments, found ${positionals.length}`);
    if (values.json === true) {
      const info = { gitVersion: `v${SIGIL_VERSION}`, compiler: 'node', nodeVersion: process.version, platform: `${process.platform}/${process.arch}` };
      io.stdout(`${JSON.stringify(info, null, 2)}\n`);
    } else io.stdout(`sigil ${SIGIL_VERSION}\n`);
    return 0;
  },
};
