import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { COMMANDS } from '../commands.js';
import { ROOT_FLAGS } from '../flag-sets/root.js';
import { plainFlags } from '../flags/plain.js';
import { completionScript, SHELLS, type Shell } from '../flags/completion.js';

export const completionCommand: Command = {
  name: 'completion',
  summary: 'Print a shell completion script: bash, zsh, fish or powershell',
  usage: 'sigil completion bash|zsh|fish|powershell',
  examples: ['source <(sigil completion bash)', 'sigil completion zsh > "${fpath[1]}/_sigil"', 'sigil completion fish | source', 'sigil completion powershell | Out-String | Invoke-Expression'],
  flags: plainFlags({}),
  async run(_values, positionals, io) {
    const shell = positionals[0];
    if (positionals.length !== 1 || !SHELLS.includes(shell as Shell)) throw usageError(`expected one shell: ${SHELLS.join(', ')}`);
    io.stdout(completionScript(shell as Shell, COMMANDS, ROOT_FLAGS));
    return 0;
  },
};
