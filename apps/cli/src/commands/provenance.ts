import { gitlabProvenance, subjectsFromFiles } from '@sigil/provenance';
import { usageError } from '../cli-error.js';
import { plainFlags } from '../flags/plain.js';
import type { Command } from '../command.js';
import { writeOutputFile } from '../output-file.js';

export const provenanceCommand: Command = {
  name: 'provenance',
  summary: 'provenance generate: SLSA v1 provenance for files built by this GitLab job (from its CI variables)',
  usage: 'sigil provenance generate ARTIFACT... [--output FILE] [--statement]',
  flags: plainFlags({ output: { type: 'string', short: 'o' }, statement: { type: 'boolean' } }),
  async run(values, positionals, io) {
    const flags = values as { output?: string; statement?: boolean };
    const [action, ...artifacts] = positionals;
    if (action !== 'generate') throw usageError(`expected "provenance generate ARTIFACT...", found ${action === undefined ? 'no subcommand' : JSON.stringify(action)}`);
    if (artifacts.length === 0) throw usageError('expected at least one artifact the provenance is about');
    const statement = gitlabProvenance({ env: process.env, subjects: await subjectsFromFiles(artifacts) });
    // attest-blob and attest take the predicate and write the statement themselves.
    const json = `${JSON.stringify(flags.statement ? statement : statement.predicate, null, 2)}\n`;
    if (flags.output !== undefined) {
      writeOutputFile(flags.output, json);
      io.stderr(`Wrote SLSA v1 provenance ${flags.statement ? 'statement' : 'predicate'} for ${artifacts.length} artifact(s) to ${flags.output}\n`);
    } else {
      io.stdout(json);
    }
    return 0;
  },
};
